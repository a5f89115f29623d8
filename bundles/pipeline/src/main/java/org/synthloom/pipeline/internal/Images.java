package org.synthloom.pipeline.internal;

import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Sample;
import org.synthloom.imageio.ImageResizer;
import org.synthloom.imageio.ResizeMode;

/** Brings a sample's pixels to the pipeline's image size with its resize mode. */
final class Images {

    private Images() {}

    static Sample fit(Sample sample, PipelineSpec spec) {
        if (sample.pixels().isEmpty()) {
            return sample;
        }
        ImagePixels pixels = sample.pixels().get();
        if (pixels.width() == spec.imageSize && pixels.height() == spec.imageSize || spec.resizeMode == ResizeMode.NO) {
            return sample;
        }
        return sample.toBuilder().pixels(ImageResizer.resize(pixels, spec.imageSize, spec.resizeMode)).build();
    }
}
