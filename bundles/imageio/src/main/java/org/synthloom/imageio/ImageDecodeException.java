package org.synthloom.imageio;

import java.io.IOException;

/**
 * An image could not be decoded. The message names the input (as the caller named it, for example
 * {@code shard-000003.tar:scene-000042.png} or a file path) and says what is wrong with it, so
 * that a skipped sample in a log of millions can be found and understood without a debugger.
 */
public final class ImageDecodeException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The caller's name for the input. */
    private final String imageName;
    /** What is wrong with the input. */
    private final String reason;

    /**
     * @param imageName the caller's name for the input
     * @param reason what is wrong, for example {@code truncated PNG data}
     */
    public ImageDecodeException(String imageName, String reason) {
        this(imageName, reason, null);
    }

    /**
     * @param imageName the caller's name for the input
     * @param reason what is wrong, for example {@code truncated PNG data}
     * @param cause the decoder's own exception, or {@code null}
     */
    public ImageDecodeException(String imageName, String reason, Throwable cause) {
        super(imageName + ": " + reason, cause);
        this.imageName = imageName;
        this.reason = reason;
    }

    /** @return the caller's name for the input that failed */
    public String imageName() {
        return imageName;
    }

    /** @return what is wrong with the input, without the name */
    public String reason() {
        return reason;
    }
}
