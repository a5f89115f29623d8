package org.example.synthloom.rhyme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.CaptionGeneratorConformance;

/** The rhyme generator outside OSGi: the SDK's caption generator conformance suite and its own behaviour. */
class RhymeCaptionsTest extends CaptionGeneratorConformance {

    @Override
    protected CaptionGenerator generator() {
        return new RhymeCaptions("1.0.0", Configs.defaults(RhymeConfig.class));
    }

    @Test
    void everyCaptionIsACoupletOfTwoDifferentConfiguredEndings() {
        RhymeCaptions rhyme = new RhymeCaptions("1.0.0", Configs.of(RhymeConfig.class,
                Map.of("endings", List.of("by the sea", "in a tree"), "openings", List.of("and then"))));
        List<GeneratedCaption> captions = rhyme.generate(new CaptionRequest(List.of(Concept.of("blue star")), 4, 3, List.of()));
        for (GeneratedCaption c : captions) {
            String text = c.caption().text();
            assertTrue(text.equals("a blue star by the sea, and then in a tree") || text.equals("a blue star in a tree, and then by the sea"),
                    text);
        }
        // Only two couplets exist: the generator uses both before repeating one.
        assertNotEquals(captions.get(0).caption().text(), captions.get(1).caption().text());
    }

    @Test
    void tooFewEndingsAreRejectedNamingThePidAndProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RhymeCaptions("1",
                Configs.of(RhymeConfig.class, Map.of("endings", List.of("alone", "alone")))));
        assertTrue(e.getMessage().contains(RhymeCaptions.PID) && e.getMessage().contains("endings"), e.getMessage());
        assertEquals("rhyme", RhymeCaptions.NAME);
    }
}
