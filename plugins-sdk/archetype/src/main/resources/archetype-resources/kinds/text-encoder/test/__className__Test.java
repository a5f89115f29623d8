package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.TextEncoder;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.TextEncoderConformance;

/** {@link ${className}} outside OSGi: the SDK's conformance suite (inherited) and its own behaviour. */
class ${className}Test extends TextEncoderConformance {

    @Override
    protected TextEncoder encoder() {
        return new ${className}(Configs.of(${className}Config.class, Map.of("width", 12)));
    }

    @Test
    void theWidthIsConfigured() {
        assertEquals(12, new ${className}(Configs.of(${className}Config.class, Map.of("width", 12))).outputDim());
    }

    @Test
    void aWidthOutOfRangeOrASpecWithoutVocabularyIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ${className}(Configs.of(${className}Config.class, Map.of("width", 0))));
        assertTrue(e.getMessage().contains(${className}.PID) && e.getMessage().contains("width"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> encoder().newBlock(DataSpec.builder().images(16, 3).build()));
    }
}
