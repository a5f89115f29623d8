package org.synthloom.models.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.model.ImageEncoder;
import org.synthloom.api.model.TextEncoder;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.ImageEncoderConformance;
import org.synthloom.testkit.conformance.TextEncoderConformance;

/** Every encoder of the bundle passes the SDK's encoder conformance suites, at tiny sizes. */
class EncodersConformanceTest {

    @TempDir
    static Path modules;

    /** The folder holding {@code encoder.pt} of a kind, traced by PyTorch on first use. */
    private static synchronized Path module(String kind) throws Exception {
        Path dir = modules.resolve(kind);
        if (!Files.exists(dir.resolve("encoder.pt"))) {
            Files.createDirectories(dir);
            PythonTorch.generate(kind, dir);
        }
        return dir;
    }

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

    @Nested
    class TorchScript extends ImageEncoderConformance {
        @Override
        protected ImageEncoder encoder() throws Exception {
            return new TorchScriptEncoder(module("image"),
                    Configs.of(TorchScriptConfig.class, Map.of("path", "encoder.pt", "output.dim", 16)), TorchScriptEncoderTest.DEVICES);
        }
    }

    @Nested
    class TorchScriptText extends TextEncoderConformance {
        @Override
        protected TextEncoder encoder() throws Exception {
            return new TorchScriptTextEncoder(module("text"),
                    Configs.of(TorchScriptTextConfig.class, Map.of("path", "encoder.pt", "output.dim", 16)), TorchScriptEncoderTest.DEVICES);
        }
    }
}
