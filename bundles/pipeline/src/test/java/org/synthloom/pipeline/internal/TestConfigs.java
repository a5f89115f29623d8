package org.synthloom.pipeline.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Map;

/** Builds a configuration annotation from its defaults and overrides keyed by method name, as DS would. */
final class TestConfigs {

    private TestConfigs() {}

    static <A extends Annotation> A of(Class<A> type, Map<String, Object> overrides) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            Object value = overrides.containsKey(method.getName()) ? overrides.get(method.getName()) : method.getDefaultValue();
            if (value == null) {
                throw new IllegalArgumentException(type.getSimpleName() + "." + method.getName() + " has no default");
            }
            return value;
        }));
    }
}
