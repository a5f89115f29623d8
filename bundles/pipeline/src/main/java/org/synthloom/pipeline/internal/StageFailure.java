package org.synthloom.pipeline.internal;

/** A stage could not go on; the message says why, the component (if any) which plugin failed. */
final class StageFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String component;

    StageFailure(String message, String component, Throwable cause) {
        super(message, cause);
        this.component = component == null ? "" : component;
    }

    StageFailure(String message) {
        this(message, null, null);
    }

    String component() {
        return component;
    }
}
