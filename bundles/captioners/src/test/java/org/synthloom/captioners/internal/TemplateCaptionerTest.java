package org.synthloom.captioners.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;

class TemplateCaptionerTest {

    private static TemplateConfig config(String[] templates, String[] slots, boolean deduplicate) {
        return new TemplateConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TemplateConfig.class;
            }

            @Override
            public String[] templates() {
                return templates;
            }

            @Override
            public String[] slots() {
                return slots;
            }

            @Override
            public boolean deduplicate() {
                return deduplicate;
            }
        };
    }

    private static TemplateConfig defaults() {
        try {
            Class<TemplateConfig> type = TemplateConfig.class;
            return config((String[]) type.getMethod("templates").getDefaultValue(),
                    (String[]) type.getMethod("slots").getDefaultValue(), true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private final TemplateCaptioner captioner = new TemplateCaptioner("1.0.0", defaults());

    @Test
    void returnsTheCountAskedForGroupedByConceptEachNamingItsConcept() {
        List<GeneratedCaption> captions = captioner.generate(new CaptionRequest(
                List.of(Concept.of("red circle"), Concept.of("blue star")), 5, 42, List.of()));
        assertEquals(10, captions.size());
        for (int i = 0; i < 10; i++) {
            String concept = i < 5 ? "red circle" : "blue star";
            assertEquals(concept, captions.get(i).concept().name());
            assertTrue(captions.get(i).caption().text().contains(concept), captions.get(i).caption().text());
            assertTrue(captions.get(i).caption().provenance().isSynthetic());
            assertEquals("1.0.0", captions.get(i).caption().provenance().sourceVersion());
        }
    }

    @Test
    void isDeterministicForASeedAndVariesWithIt() {
        CaptionRequest request = new CaptionRequest(List.of(Concept.of("green hexagon")), 8, 7, List.of());
        assertEquals(captioner.generate(request), captioner.generate(request));
        assertNotEquals(captioner.generate(request),
                captioner.generate(new CaptionRequest(List.of(Concept.of("green hexagon")), 8, 8, List.of())));
    }

    @Test
    void doesNotRepeatACaptionForAConceptWhileCombinationsRemain() {
        List<GeneratedCaption> captions = captioner.generate(new CaptionRequest(List.of(Concept.of("red circle")), 20, 3,
                List.of()));
        assertEquals(20, new HashSet<>(captions.stream().map(c -> c.caption().text()).toList()).size());
    }

    @Test
    void conceptAttributesFillTheirSlots() {
        TemplateCaptioner fixed = new TemplateCaptioner("1.0.0", config(new String[] {"a {size} {concept}"},
                new String[] {"size=small|large"}, false));
        List<GeneratedCaption> captions = fixed.generate(new CaptionRequest(
                List.of(new Concept("dog", Map.of("size", "huge"))), 3, 1, List.of()));
        captions.forEach(c -> assertEquals("a huge dog", c.caption().text()));
    }

    @Test
    void aConfigurationThatCannotWorkIsRejectedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TemplateCaptioner("1", config(
                new String[] {"a {colour} {concept}"}, new String[] {}, true))).getMessage().contains("{colour}"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TemplateCaptioner("1", config(
                new String[] {"a thing"}, new String[] {}, true))).getMessage().contains("{concept}"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TemplateCaptioner("1", config(
                new String[] {"a {concept}"}, new String[] {"size"}, true))).getMessage().contains("name=value"));
    }
}
