package org.synthloom.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PluginsTest {

    @Test
    void filterSelectsKindAndName() {
        assertEquals("(&(synthloom.kind=objective)(synthloom.name=clip))", Plugins.filter("objective", "clip"));
        assertEquals("(synthloom.kind=evaluator)", Plugins.filter("evaluator"));
    }

    @Test
    void filterEscapesLdapSpecialCharacters() {
        assertEquals("(&(synthloom.kind=dataset)(synthloom.name=a\\(b\\)\\*c\\\\))",
                Plugins.filter("dataset", "a(b)*c\\"));
    }
}
