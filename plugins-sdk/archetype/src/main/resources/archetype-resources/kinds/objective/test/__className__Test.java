package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.Objective;
import org.synthloom.testkit.ClasspathDevices;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.ObjectiveConformance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** {@link ${className}} outside OSGi: the SDK's conformance suite (inherited) and its own behaviour. */
class ${className}Test extends ObjectiveConformance {

    @Override
    protected Objective objective() {
        return new ${className}(Configs.defaults(${className}Config.class));
    }

    @Test
    void matchingPairsGiveALowerLossThanShuffledOnes() {
        ClasspathDevices devices = new ClasspathDevices();
        try (NDManager m = devices.newManager(devices.defaultDevice())) {
            NDArray eye = m.eye(4);
            NDArray shifted = m.create(new float[] {0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0}, eye.getShape());
            float matched = loss(m, eye, eye);
            float shuffled = loss(m, eye, shifted);
            assertTrue(matched < shuffled, matched + " against " + shuffled);
            // ln 4 is the loss of a model that cannot tell the texts apart; matched pairs are far below it.
            assertTrue(matched < Math.log(4) / 10, "matched loss " + matched);
        }
    }

    private static float loss(NDManager m, NDArray images, NDArray texts) {
        images.setName(Fields.IMAGE_EMBEDS);
        NDArray t = texts.duplicate();
        t.setName(Fields.TEXT_EMBEDS);
        return new ${className}(Configs.defaults(${className}Config.class)).compute(new NDList(images, t), new NDList()).loss().getFloat();
    }

    @Test
    void aTemperatureOutOfRangeIsRejectedNamingThePidAndProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ${className}(Configs.of(${className}Config.class, Map.of("temperature", 0))));
        assertTrue(e.getMessage().contains(${className}.PID) && e.getMessage().contains("temperature"), e.getMessage());
        assertEquals(Set.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS), objective().requires());
    }
}
