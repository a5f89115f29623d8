package org.synthloom.shapes.internal;

import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.DatasetConformance;
import org.synthloom.testkit.conformance.ImageGeneratorConformance;

/** The shapes world and its renderer pass the SDK's dataset and image generator conformance suites. */
class ShapesConformanceTest {

    @Nested
    class World extends DatasetConformance {
        @Override
        protected Dataset dataset() {
            return new ShapesWorldDataset(Configs.of(ShapesWorldConfig.class,
                    Map.of("image.size", 16, "train.size", 40, "val.size", 10, "test.size", 20)));
        }
    }

    @Nested
    class Renderer extends ImageGeneratorConformance {
        @Override
        protected ImageGenerator generator() {
            return new ShapesRenderer(Configs.of(ShapesRendererConfig.class, Map.of("image.size", 16)));
        }
    }
}
