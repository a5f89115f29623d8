package org.synthloom.models.internal;

import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.synthloom.api.model.ImageEncoder;
import org.synthloom.api.model.TextEncoder;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.ImageEncoderConformance;
import org.synthloom.testkit.conformance.TextEncoderConformance;

/** Every encoder of the bundle passes the SDK's encoder conformance suites, at tiny sizes. */
class EncodersConformanceTest {

    @Nested
    class Cnn extends ImageEncoderConformance {
        @Override
        protected ImageEncoder encoder() {
            return new CnnImageEncoder(Configs.of(CnnImageConfig.class, Map.of("widths", new int[] {4, 8}, "width", 12)));
        }
    }

    @Nested
    class Vit extends ImageEncoderConformance {
        @Override
        protected ImageEncoder encoder() {
            return new VitEncoder(Configs.of(VitConfig.class, Map.of("patch", 8, "width", 8, "depth", 1, "heads", 2)));
        }
    }

    @Nested
    class TokenEmbed extends ImageEncoderConformance {
        @Override
        protected ImageEncoder encoder() {
            return new TokenEmbedEncoder(Configs.of(TokenEmbedConfig.class, Map.of("width", 8, "pool", "mean")));
        }
    }

    @Nested
    class CnnText extends TextEncoderConformance {
        @Override
        protected TextEncoder encoder() {
            return new CnnTextEncoder(Configs.defaults(CnnTextConfig.class));
        }
    }

    @Nested
    class TransformerText extends TextEncoderConformance {
        @Override
        protected TextEncoder encoder() {
            return new TransformerTextEncoder(Configs.of(TransformerTextConfig.class, Map.of("width", 16, "depth", 1, "heads", 2)));
        }
    }
}
