package org.synthloom.api.run;

/** The life cycle of a run. */
public enum RunState {
    /** Created, not yet working. */
    PENDING,
    /** Working. */
    RUNNING,
    /** Stopped at a batch boundary, by request or because a component it needs is gone. */
    PAUSED,
    /** Done; all outputs written. */
    FINISHED,
    /** Stopped by an error; completed work is kept and a new start resumes from it. */
    FAILED,
    /** Stopped by request; completed work is kept. */
    CANCELLED;

    /** @return {@code true} for the states a run never leaves */
    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == CANCELLED;
    }
}
