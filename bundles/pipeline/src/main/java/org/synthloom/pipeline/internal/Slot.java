package org.synthloom.pipeline.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The components bound to a stage role. Declarative Services binds and unbinds every service that
 * matches the role's filter, dynamically; the run reads the current one at each batch boundary,
 * which is what makes a swap take effect at the next batch.
 */
final class Slot<T> {

    private final String role;
    private final String kind;
    private final Map<Long, Bound<T>> bound = new ConcurrentHashMap<>();
    private volatile Runnable onChange = () -> { };

    /**
     * @param role how messages name it, e.g. "caption generator"
     * @param kind the {@code synthloom.kind} it takes
     */
    Slot(String role, String kind) {
        this.role = role;
        this.kind = kind;
    }

    String role() {
        return role;
    }

    String kind() {
        return kind;
    }

    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    void bind(Bound<T> component) {
        bound.put(component.serviceId(), component);
        onChange.run();
    }

    void unbind(long serviceId) {
        bound.remove(serviceId);
        onChange.run();
    }

    /**
     * @return the current component: of several, the best ranked, then the newest registration
     *     (so an updated plugin replaces its previous version)
     */
    Bound<T> current() {
        return bound.values().stream()
                .max(Comparator.<Bound<T>>comparingInt(Bound::ranking).thenComparingLong(Bound::serviceId)).orElse(null);
    }

    /** @return every bound component, by name */
    List<Bound<T>> all() {
        List<Bound<T>> all = new ArrayList<>(bound.values());
        all.sort(Comparator.comparing(Bound<T>::name).thenComparingLong(Bound::serviceId));
        return all;
    }
}
