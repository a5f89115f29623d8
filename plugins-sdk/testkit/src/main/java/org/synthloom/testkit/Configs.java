package org.synthloom.testkit;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.Map;

/**
 * Builds a component's configuration annotation ({@code @ObjectClassDefinition} /
 * component property type) as Declarative Services would hand it to the component: each element
 * takes the value of its property, else the element's default, else the type's zero value.
 *
 * <p>Keys may be written as in a configuration file ({@code batch.size}, DS's mapping of the element
 * {@code batch_size}) or as the element's name ({@code batch_size}). Values are converted as DS
 * converts them: numbers between numeric types, strings to numbers and booleans, a single value to
 * a one-element array, a collection to an array.
 */
public final class Configs {

    private Configs() {}

    /**
     * @param type the configuration annotation
     * @param properties values by property or element name
     * @param <A> the annotation type
     * @return an instance of the annotation
     */
    public static <A extends Annotation> A of(Class<A> type, Map<String, ?> properties) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return "@" + type.getSimpleName() + properties;
                case "hashCode":
                    return properties.hashCode();
                case "equals":
                    return proxy == args[0];
                default:
                    break;
            }
            String property = property(method.getName());
            Object value = properties.containsKey(property) ? properties.get(property)
                    : properties.containsKey(method.getName()) ? properties.get(method.getName()) : method.getDefaultValue();
            return convert(value, method);
        }));
    }

    /**
     * @param type the configuration annotation
     * @param <A> the annotation type
     * @return an instance holding the defaults
     */
    public static <A extends Annotation> A defaults(Class<A> type) {
        return of(type, Map.of());
    }

    /** DS's element-to-property mapping: {@code _} becomes {@code .}, {@code __} becomes {@code _}, {@code $} is dropped. */
    static String property(String element) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (c == '_' && i + 1 < element.length() && element.charAt(i + 1) == '_') {
                b.append('_');
                i++;
            } else if (c == '$') {
                continue;
            } else {
                b.append(c == '_' ? '.' : c);
            }
        }
        return b.toString();
    }

    private static Object convert(Object value, Method method) {
        Class<?> type = method.getReturnType();
        if (value == null) {
            return type.isArray() ? Array.newInstance(type.getComponentType(), 0) : zero(type);
        }
        if (type.isArray()) {
            Object[] items = value instanceof Collection<?> c ? c.toArray()
                    : value.getClass().isArray() ? boxed(value) : new Object[] {value};
            Object array = Array.newInstance(type.getComponentType(), items.length);
            for (int i = 0; i < items.length; i++) {
                Array.set(array, i, scalar(items[i], type.getComponentType(), method));
            }
            return array;
        }
        return scalar(value, type, method);
    }

    private static Object[] boxed(Object array) {
        Object[] out = new Object[Array.getLength(array)];
        for (int i = 0; i < out.length; i++) {
            out[i] = Array.get(array, i);
        }
        return out;
    }

    private static Object scalar(Object value, Class<?> type, Method method) {
        if (type == String.class) {
            return String.valueOf(value);
        }
        if (type == boolean.class) {
            return value instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(value).trim());
        }
        if (type.isEnum()) {
            return Enum.valueOf(type.asSubclass(Enum.class), String.valueOf(value).trim());
        }
        Number n;
        try {
            n = value instanceof Number number ? number : Double.valueOf(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(method.getName() + ": '" + value + "' is not a number", e);
        }
        if (type == int.class) {
            return n.intValue();
        }
        if (type == long.class) {
            return n.longValue();
        }
        if (type == double.class) {
            return n.doubleValue();
        }
        if (type == float.class) {
            return n.floatValue();
        }
        if (type == short.class) {
            return n.shortValue();
        }
        if (type == byte.class) {
            return n.byteValue();
        }
        return value;
    }

    private static Object zero(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class || type == short.class || type == byte.class) {
            return type == int.class ? 0 : type == short.class ? (short) 0 : (byte) 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == float.class) {
            return 0f;
        }
        return null;
    }
}
