package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Sample;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.generate.ImageRequest;
import org.synthloom.testkit.ClasspathDevices;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.ImageGeneratorConformance;

import ai.djl.ndarray.NDManager;

/** {@link ${className}} outside OSGi: the SDK's conformance suite (inherited) and its own behaviour. */
class ${className}Test extends ImageGeneratorConformance {

    @Override
    protected ImageGenerator generator() {
        return new ${className}("1.0.0", Configs.of(${className}Config.class, Map.of("image.size", 8)));
    }

    @Test
    void imagesHaveTheConfiguredSize() throws Exception {
        ClasspathDevices devices = new ClasspathDevices();
        try (NDManager manager = devices.newManager(devices.defaultDevice())) {
            for (Sample s : generator().generate(new ImageRequest(captions(), 1, 4), manager)) {
                ImagePixels p = s.pixels().orElseThrow();
                assertEquals(8, p.width());
                assertEquals(8, p.height());
            }
        }
    }

    @Test
    void anImageSizeOutOfRangeIsRejectedNamingThePidAndProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ${className}("1.0.0", Configs.of(${className}Config.class, Map.of("image.size", 2))));
        assertTrue(e.getMessage().contains(${className}.PID) && e.getMessage().contains("image.size"), e.getMessage());
    }
}
