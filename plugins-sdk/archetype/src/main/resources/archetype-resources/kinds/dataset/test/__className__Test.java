package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.DatasetConformance;

/** {@link ${className}} outside OSGi: the SDK's conformance suite (inherited) and its own behaviour. */
class ${className}Test extends DatasetConformance {

    @Override
    protected Dataset dataset() {
        return new ${className}(Configs.of(${className}Config.class, Map.of("train.size", 12, "test.size", 6, "image.size", 4)));
    }

    @Test
    void captionsNameTheLabelledColour() throws Exception {
        try (SampleSource source = dataset().open("train")) {
            Sample s = source.next().orElseThrow();
            assertEquals("a " + s.labels().get(0) + " square", s.captions().get(0).text());
        }
    }

    @Test
    void aSizeOutOfRangeIsRejectedNamingThePidAndProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ${className}(Configs.of(${className}Config.class, Map.of("train.size", 0))));
        assertTrue(e.getMessage().contains(${className}.PID) && e.getMessage().contains("train.size"), e.getMessage());
    }
}
