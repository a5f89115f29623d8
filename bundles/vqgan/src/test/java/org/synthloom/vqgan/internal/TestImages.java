package org.synthloom.vqgan.internal;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.testkit.Configs;

/** Test images: the shapes world's train split, as the pipeline's human data would hold it. */
final class TestImages {

    private TestImages() {}

    /**
     * @param size image side
     * @param count number of samples
     * @return the first {@code count} samples of the shapes world's train split at that size
     */
    static List<Sample> shapes(int size, int count) {
        // The shapes world keeps its classes private to its bundle; the tests build it as DS would.
        try {
            @SuppressWarnings("unchecked")
            Class<Annotation> configType = (Class<Annotation>) Class.forName("org.synthloom.shapes.internal.ShapesWorldConfig");
            Object config = Configs.of(configType, Map.of("image.size", size, "train.size", count));
            Dataset world = (Dataset) Class.forName("org.synthloom.shapes.internal.ShapesWorldDataset")
                    .getConstructor(configType).newInstance(config);
            List<Sample> out = new ArrayList<>(count);
            try (SampleSource source = world.open("train")) {
                for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                    out.add(s.get());
                }
            }
            return out;
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("the shapes world could not be built for the tests", e);
        }
    }

    /** @return the pixels of the samples */
    static List<ImagePixels> pixels(List<Sample> samples) {
        return samples.stream().map(s -> s.pixels().orElseThrow()).toList();
    }
}
