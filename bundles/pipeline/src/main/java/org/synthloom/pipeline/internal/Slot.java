package org.synthloom.pipeline.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.synthloom.api.Plugins;

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
    private volatile Filter target;

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

    /**
     * Narrows the slot to the components a filter matches, for a role whose filter the engine
     * applies itself rather than Declarative Services. The filter sees {@code synthloom.kind},
     * {@code synthloom.name} and the component's configuration.
     *
     * @param filter an LDAP filter, or null or blank for every bound component
     */
    void target(String filter) {
        try {
            this.target = filter == null || filter.isBlank() ? null : FrameworkUtil.createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("'" + filter + "' is not an LDAP filter: " + e.getMessage(), e);
        }
        onChange.run();
    }

    private boolean matches(Bound<T> component) {
        Filter filter = target;
        if (filter == null) {
            return true;
        }
        Map<String, Object> properties = new HashMap<>(component.configuration());
        properties.put(Plugins.KIND, component.kind());
        properties.put(Plugins.NAME, component.name());
        return filter.matches(properties);
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
        return bound.values().stream().filter(this::matches)
                .max(Comparator.<Bound<T>>comparingInt(Bound::ranking).thenComparingLong(Bound::serviceId)).orElse(null);
    }

    /** @return every bound component, by name */
    List<Bound<T>> all() {
        List<Bound<T>> all = new ArrayList<>(bound.values().stream().filter(this::matches).toList());
        all.sort(Comparator.comparing(Bound<T>::name).thenComparingLong(Bound::serviceId));
        return all;
    }
}
