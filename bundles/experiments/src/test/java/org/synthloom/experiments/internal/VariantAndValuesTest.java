package org.synthloom.experiments.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;

class VariantAndValuesTest {

    @Test
    void aVariantIsANameWithSettings() {
        Variant v = Variant.parse(" human-250-syn : human.limit=250; captioner.target=(&(a=b)(c=d)) ;; seed.list=[1, 2]");
        assertEquals("human-250-syn", v.name());
        assertEquals(Map.of("human.limit", "250", "captioner.target", "(&(a=b)(c=d))", "seed.list", "[1, 2]"), v.settings());
        assertEquals(List.of("human.limit", "captioner.target", "seed.list"), List.copyOf(v.settings().keySet()),
                "settings keep their order");
        assertEquals(Map.of(), Variant.parse("baseline").settings());
    }

    @Test
    void badVariantsAreNamedErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("a b: x=1"));
        assertTrue(e.getMessage().contains("'a b'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Variant.parse("human+syn: x=1"), "names become pipeline names");
        e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("v: human.limit"));
        assertTrue(e.getMessage().contains("'human.limit' is not key=value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("v: a=1; a=2"));
        assertTrue(e.getMessage().contains("sets 'a' twice"), e.getMessage());
    }

    @Test
    void valuesTakeTheTypeTheMetatypeDeclares() {
        assertEquals(250, Values.convert("human.limit", "250", AttributeDefinition.INTEGER, false, null));
        assertEquals(7L, Values.convert("seed", "7", AttributeDefinition.LONG, false, null));
        assertEquals(0.25, Values.convert("synthetic.ratio", "0.25", AttributeDefinition.DOUBLE, false, null));
        assertEquals(true, Values.convert("x", "TRUE", AttributeDefinition.BOOLEAN, false, null));
        assertEquals("(synthloom.name=clip)", Values.convert("recipe.target", "(synthloom.name=clip)",
                AttributeDefinition.STRING, false, null));
        assertArrayEquals(new String[] {"a", "b c"}, (String[]) Values.convert("concepts", "[a, b c]",
                AttributeDefinition.STRING, true, null));
        assertArrayEquals(new String[] {"solo"}, (String[]) Values.convert("concepts", "solo", AttributeDefinition.STRING,
                true, null), "a list property takes a single value as a list of one");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Values.convert("human.limit", "many", AttributeDefinition.INTEGER, false, null));
        assertTrue(e.getMessage().contains("'human.limit': 'many' is not a whole number"), e.getMessage());
    }

    @Test
    void withoutMetatypeTheBaseValueOrTheTextDecides() {
        assertEquals(3L, Values.convert("k", "3", 0, false, 1L));
        assertEquals(3.0, Values.convert("k", "3", 0, false, 1.5));
        assertEquals("3", Values.convert("k", "3", 0, false, "x"));
        assertEquals(3, Values.convert("k", "3", 0, false, null));
        assertEquals(1e-3, Values.convert("k", "1e-3", 0, false, null));
        assertEquals("abc", Values.convert("k", "abc", 0, false, null));
        assertArrayEquals(new long[] {1, 2}, (long[]) Values.convert("k", "[1, 2]", 0, false, new long[] {9}));
    }
}
