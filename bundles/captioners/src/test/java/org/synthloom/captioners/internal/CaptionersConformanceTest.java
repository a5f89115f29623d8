package org.synthloom.captioners.internal;

import java.nio.file.Path;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.CaptionGeneratorConformance;

/** The offline caption generators pass the SDK's caption generator conformance suite. */
class CaptionersConformanceTest {

    @Nested
    class Template extends CaptionGeneratorConformance {
        @Override
        protected CaptionGenerator generator() {
            return new TemplateCaptioner("1.0.0", Configs.defaults(TemplateConfig.class));
        }
    }

    @Nested
    class ClassPrompt extends CaptionGeneratorConformance {
        @TempDir
        Path home;

        @Override
        protected CaptionGenerator generator() {
            return new ClassPromptCaptioner("1.0.0", home, Configs.defaults(ClassPromptConfig.class));
        }
    }
}
