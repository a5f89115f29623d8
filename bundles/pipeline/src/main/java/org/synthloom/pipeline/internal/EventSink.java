package org.synthloom.pipeline.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunListener;

/**
 * Numbers a run's events (continuing after the events a resumed run already had), keeps them, and
 * delivers them in order to the run listeners (the store, the command line, the console).
 */
final class EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);

    private final String runId;
    private final Collection<RunListener> listeners;
    private final List<RunEvent> events = new ArrayList<>();
    private long next;

    EventSink(String runId, long firstSequence, Collection<RunListener> listeners) {
        this.runId = runId;
        this.next = firstSequence;
        this.listeners = listeners;
    }

    /** Emits an event; safe from any thread, delivered in sequence order. */
    synchronized RunEvent emit(RunEvent.Type type, UnaryOperator<RunEvent.Builder> fill) {
        RunEvent event = fill.apply(RunEvent.builder(type, runId, next++)).build();
        events.add(event);
        for (RunListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("run listener {} failed on {}", listener, event, e);
            }
        }
        return event;
    }

    synchronized List<RunEvent> events() {
        return List.copyOf(events);
    }
}
