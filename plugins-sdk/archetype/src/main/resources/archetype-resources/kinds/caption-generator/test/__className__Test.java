package ${package};

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

/** {@link ${className}} outside OSGi: the SDK's conformance suite (inherited) and its own behaviour. */
class ${className}Test extends CaptionGeneratorConformance {

    @Override
    protected CaptionGenerator generator() {
        return new ${className}("1.0.0", Configs.defaults(${className}Config.class));
    }

    @Test
    void captionsStartWithAConfiguredPhraseAndNameTheConcept() {
        ${className} generator = new ${className}("1.0.0", Configs.of(${className}Config.class, Map.of("phrases", List.of("look at a"))));
        for (GeneratedCaption c : generator.generate(new CaptionRequest(List.of(Concept.of("red circle")), 3, 1, List.of()))) {
            assertTrue(c.caption().text().equals("look at a red circle"), c.caption().text());
        }
    }

    @Test
    void anEmptyPhraseListIsRejectedNamingThePidAndProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ${className}("1.0.0", Configs.of(${className}Config.class, Map.of("phrases", List.of()))));
        assertTrue(e.getMessage().contains(${className}.PID) && e.getMessage().contains("phrases"), e.getMessage());
    }
}
