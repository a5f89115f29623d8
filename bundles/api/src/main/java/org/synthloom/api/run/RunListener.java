package org.synthloom.api.run;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the events of every run (whiteboard pattern: register a service of this type).
 *
 * <p>Events of one run arrive in sequence order on one thread. A listener must return quickly and
 * must not throw; an exception is logged and the listener keeps receiving events.
 */
@ConsumerType
public interface RunListener {

    /**
     * Called for each event.
     *
     * @param event what happened
     */
    void onEvent(RunEvent event);
}
