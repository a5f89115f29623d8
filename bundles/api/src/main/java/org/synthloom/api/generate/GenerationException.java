package org.synthloom.api.generate;

/** Thrown by a generator that cannot produce what it was asked for; the message says why. */
public class GenerationException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong and what to do about it
     */
    public GenerationException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do about it
     * @param cause the underlying failure
     */
    public GenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}
