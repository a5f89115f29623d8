package org.synthloom.models.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Makes an instance of a component's configuration annotation, as Declarative Services would, from
 * the annotation's defaults and some overrides keyed by method name.
 */
final class TestConfigs {

    private TestConfigs() {}

    static <A extends Annotation> A of(Class<A> type, Map<String, Object> overrides) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            if (overrides.containsKey(method.getName())) {
                return overrides.get(method.getName());
            }
            Object fallback = method.getDefaultValue();
            if (fallback == null) {
                throw new IllegalArgumentException(type.getSimpleName() + "." + method.getName() + " has no default");
            }
            return fallback;
        }));
    }
}
