package org.synthloom.console.internal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.google.gson.JsonObject;

/**
 * Fans events out to the server-sent-event streams of connected browsers. Each stream has a
 * bounded queue: a client that stops reading loses its stream (it reconnects and reloads), it
 * never slows down a run, whose listener thread is the one publishing.
 */
final class EventHub {

    /** A connected stream: its queue and which events it wants. */
    static final class Subscriber {
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(4096);
        private final Predicate<JsonObject> wants;
        private volatile boolean closed;

        private Subscriber(Predicate<JsonObject> wants) {
            this.wants = wants;
        }

        /** @return the queue of SSE frames */
        BlockingQueue<String> queue() {
            return queue;
        }

        /** @return true once the hub dropped or closed it */
        boolean closed() {
            return closed;
        }
    }

    /** The frame that tells a stream to end. */
    static final String END = "";

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;

    /** @return a new subscriber receiving the events the filter accepts */
    Subscriber subscribe(Predicate<JsonObject> wants) {
        Subscriber s = new Subscriber(wants);
        subscribers.add(s);
        if (!open) {
            drop(s);
        }
        return s;
    }

    void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    /**
     * Publishes an event to every subscriber that wants it.
     *
     * @param type the SSE event name, e.g. {@code run} or {@code bundle}
     * @param id the SSE id, or null
     * @param data the event as JSON
     */
    void publish(String type, String id, JsonObject data) {
        String frame = (id == null ? "" : "id: " + id + "\n") + "event: " + type + "\ndata: " + ApiResponse.GSON.toJson(data)
                + "\n\n";
        for (Subscriber s : subscribers) {
            if (s.wants.test(data) && !s.queue.offer(frame)) {
                drop(s); // it stopped reading: end its stream rather than buffer without limit
            }
        }
    }

    private void drop(Subscriber s) {
        s.closed = true;
        subscribers.remove(s);
        s.queue.clear();
        s.queue.offer(END);
    }

    /** Ends every stream (the console is stopping). */
    void close() {
        open = false;
        subscribers.forEach(this::drop);
    }

    /** @return the number of connected streams */
    int size() {
        return subscribers.size();
    }
}
