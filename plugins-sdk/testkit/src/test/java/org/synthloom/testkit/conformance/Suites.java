package org.synthloom.testkit.conformance;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs a conformance suite's tests on instances of a subclass, as JUnit would (a new instance per
 * test, its {@code @AfterEach} methods after), and collects what each test threw.
 */
final class Suites {

    private Suites() {}

    /**
     * @param instances makes a fresh instance of the suite's subclass
     * @return every {@code @Test} of the suite by name, with its failure, or {@code null} if it passed
     */
    static Map<String, Throwable> run(Supplier<?> instances) throws ReflectiveOperationException {
        Class<?> type = instances.get().getClass();
        Map<String, Throwable> results = new LinkedHashMap<>();
        Method[] methods = type.getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method test : methods) {
            if (!test.isAnnotationPresent(Test.class)) {
                continue;
            }
            Object instance = instances.get();
            Throwable failure = null;
            try {
                test.invoke(instance);
            } catch (InvocationTargetException e) {
                failure = e.getCause();
            } finally {
                for (Method after : methods) {
                    if (after.isAnnotationPresent(AfterEach.class)) {
                        after.invoke(instance);
                    }
                }
            }
            results.put(test.getName(), failure);
        }
        return results;
    }

    /** @return a readable list of the failures */
    static String failures(Map<String, Throwable> results) {
        StringBuilder b = new StringBuilder();
        results.forEach((name, t) -> {
            if (t != null) {
                b.append(name).append(": ").append(t).append('\n');
            }
        });
        return b.toString();
    }
}
