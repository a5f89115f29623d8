package org.synthloom.api.run;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened in a run. Events of one run are numbered in the order they happened.
 * Events are values: two events are equal when every field is; times and ETAs have millisecond
 * precision, which is what the run store keeps.
 */
public final class RunEvent {

    /** What kind of thing happened. */
    public enum Type {
        /** The run started (or resumed after a restart). */
        STARTED,
        /** Work advanced: {@link #step()} of {@link #totalSteps()}, with an ETA when known. */
        PROGRESS,
        /** Metric values at {@link #step()}. */
        METRIC,
        /** A checkpoint was written; {@link #message()} says where. */
        CHECKPOINT,
        /** A stage's component was replaced; {@link #component()} names the new one. */
        COMPONENT_SWAPPED,
        /** The run paused; {@link #message()} says why. */
        PAUSED,
        /** The run resumed after a pause. */
        RESUMED,
        /** The run failed; {@link #message()} holds the cause. */
        FAILED,
        /** The run was cancelled. */
        CANCELLED,
        /** The run finished; {@link #message()} summarises it. */
        FINISHED
    }

    private final String runId;
    private final long sequence;
    private final Type type;
    private final Instant time;
    private final long step;
    private final long totalSteps;
    private final Duration eta;
    private final String message;
    private final String component;
    private final Map<String, Double> metrics;

    private RunEvent(Builder b) {
        this.runId = b.runId;
        this.sequence = b.sequence;
        this.type = b.type;
        this.time = (b.time == null ? Instant.now() : b.time).truncatedTo(ChronoUnit.MILLIS);
        this.step = b.step;
        this.totalSteps = b.totalSteps;
        this.eta = b.eta == null ? null : Duration.ofMillis(b.eta.toMillis());
        this.message = b.message;
        this.component = b.component;
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(b.metrics));
    }

    /**
     * Starts an event.
     *
     * @param type what happened
     * @param runId the run it happened in
     * @param sequence its number within the run, counting from 0
     * @return a builder
     */
    public static Builder builder(Type type, String runId, long sequence) {
        return new Builder(type, runId, sequence);
    }

    /** @return the run's id */
    public String runId() {
        return runId;
    }

    /** @return the event's number within its run */
    public long sequence() {
        return sequence;
    }

    /** @return what happened */
    public Type type() {
        return type;
    }

    /** @return when it happened */
    public Instant time() {
        return time;
    }

    /** @return the step (batch, sample or shard count, per stage) it happened at */
    public long step() {
        return step;
    }

    /** @return the total number of steps, or 0 when unknown */
    public long totalSteps() {
        return totalSteps;
    }

    /** @return the estimated time to completion, on progress events that know it */
    public Optional<Duration> eta() {
        return Optional.ofNullable(eta);
    }

    /** @return a human-readable message: a stage name, a cause, a path; empty if none */
    public String message() {
        return message;
    }

    /** @return the component concerned (swaps, failures), as {@code kind/name@version}; empty if none */
    public String component() {
        return component;
    }

    /** @return metric values by name (metric events), unmodifiable */
    public Map<String, Double> metrics() {
        return metrics;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunEvent e && sequence == e.sequence && step == e.step && totalSteps == e.totalSteps
                && runId.equals(e.runId) && type == e.type && time.equals(e.time) && Objects.equals(eta, e.eta)
                && message.equals(e.message) && component.equals(e.component) && metrics.equals(e.metrics);
    }

    @Override
    public int hashCode() {
        return Objects.hash(runId, sequence, type, time, step, totalSteps, eta, message, component, metrics);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(runId).append('#').append(sequence).append(' ')
                .append(type).append(" step ").append(step);
        if (totalSteps > 0) {
            s.append('/').append(totalSteps);
        }
        if (!metrics.isEmpty()) {
            s.append(' ').append(metrics);
        }
        if (!component.isEmpty()) {
            s.append(" [").append(component).append(']');
        }
        if (!message.isEmpty()) {
            s.append(": ").append(message);
        }
        return s.toString();
    }

    /** Builds a {@link RunEvent}. */
    public static final class Builder {
        private final Type type;
        private final String runId;
        private final long sequence;
        private Instant time;
        private long step;
        private long totalSteps;
        private Duration eta;
        private String message = "";
        private String component = "";
        private final Map<String, Double> metrics = new LinkedHashMap<>();

        private Builder(Type type, String runId, long sequence) {
            this.type = Objects.requireNonNull(type, "type");
            this.runId = Objects.requireNonNull(runId, "runId");
            if (sequence < 0) {
                throw new IllegalArgumentException("sequence must not be negative: " + sequence);
            }
            this.sequence = sequence;
        }

        /**
         * @param when the event's time; defaults to now
         * @return this builder
         */
        public Builder time(Instant when) {
            this.time = when;
            return this;
        }

        /**
         * @param current the step reached
         * @param total the total, or 0 if unknown
         * @return this builder
         */
        public Builder step(long current, long total) {
            this.step = current;
            this.totalSteps = total;
            return this;
        }

        /**
         * @param remaining estimated time to completion
         * @return this builder
         */
        public Builder eta(Duration remaining) {
            this.eta = remaining;
            return this;
        }

        /**
         * @param text a human-readable message
         * @return this builder
         */
        public Builder message(String text) {
            this.message = Objects.requireNonNull(text, "message");
            return this;
        }

        /**
         * @param id the component concerned, as {@code kind/name@version}
         * @return this builder
         */
        public Builder component(String id) {
            this.component = Objects.requireNonNull(id, "component");
            return this;
        }

        /**
         * @param name metric name, e.g. {@code loss}
         * @param value its value
         * @return this builder
         */
        public Builder metric(String name, double value) {
            metrics.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        /** @return the event */
        public RunEvent build() {
            return new RunEvent(this);
        }
    }
}
