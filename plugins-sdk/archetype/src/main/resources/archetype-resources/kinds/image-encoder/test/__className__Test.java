package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.model.ImageEncoder;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.ImageEncoderConformance;

/** {@link ${className}} outside OSGi: the SDK's conformance suite (inherited) and its own behaviour. */
class ${className}Test extends ImageEncoderConformance {

    @Override
    protected ImageEncoder encoder() {
        return new ${className}(Configs.of(${className}Config.class, Map.of("width", 12)));
    }

    @Test
    void theWidthIsConfigured() {
        assertEquals(12, new ${className}(Configs.of(${className}Config.class, Map.of("width", 12))).outputDim());
        assertEquals(32, new ${className}(Configs.defaults(${className}Config.class)).outputDim());
    }

    @Test
    void aWidthOutOfRangeIsRejectedNamingThePidAndProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ${className}(Configs.of(${className}Config.class, Map.of("width", 0))));
        assertTrue(e.getMessage().contains(${className}.PID) && e.getMessage().contains("width"), e.getMessage());
    }
}
