package org.synthloom.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigsTest {

    @Retention(RetentionPolicy.RUNTIME)
    @interface Sample {
        int batch_size() default 64;

        long seed() default 42;

        double learning_rate() default 1e-3;

        String device() default "auto";

        String[] templates() default {"a {}"};

        boolean shuffle();

        String my__odd_name() default "x";
    }

    @Test
    void defaultsAndZeroValues() {
        Sample s = Configs.defaults(Sample.class);
        assertEquals(64, s.batch_size());
        assertEquals(42L, s.seed());
        assertEquals("auto", s.device());
        assertArrayEquals(new String[] {"a {}"}, s.templates());
        assertEquals(false, s.shuffle());
    }

    @Test
    void keysAsInConfigurationFilesOrElementNamesAndDsConversions() {
        Sample s = Configs.of(Sample.class, Map.of("batch.size", "16", "seed", 7, "learning_rate", 0.5f,
                "templates", List.of("x {}", "y {}"), "shuffle", "true", "my_odd.name", "mapped"));
        assertEquals(16, s.batch_size());
        assertEquals(7L, s.seed());
        assertEquals(0.5, s.learning_rate(), 1e-9);
        assertArrayEquals(new String[] {"x {}", "y {}"}, s.templates());
        assertEquals(true, s.shuffle());
        assertEquals("mapped", s.my__odd_name());
        assertArrayEquals(new String[] {"one"}, Configs.of(Sample.class, Map.of("templates", "one")).templates());
        assertThrows(IllegalArgumentException.class, () -> Configs.of(Sample.class, Map.of("seed", "many")).seed());
    }
}
