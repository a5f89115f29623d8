package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.ImageEncoder;
import org.synthloom.api.model.TextEncoder;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/** The encoder suites pass conforming fakes and catch broken ones. */
class EncoderConformanceTest {

    /** Flattened pixels through a linear layer of {@code built} units, declaring {@code declared}. */
    static ImageEncoder pixels(int declared, int built, boolean batchNorm) {
        return new ImageEncoder() {
            @Override
            public ImageSpace inputSpace() {
                return ImageSpace.PIXELS;
            }

            @Override
            public int outputDim() {
                return declared;
            }

            @Override
            public Block newBlock(DataSpec spec) {
                SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());
                if (batchNorm) {
                    // Training-mode statistics in inference: a sample's features depend on its batch.
                    block.add(new LambdaBlock(x -> new NDList(x.head().sub(x.head().mean(new int[] {0}, true)))));
                }
                return block.add(Linear.builder().setUnits(built).build());
            }
        };
    }

    /** Token ids as floats through a linear layer: a (poor) text encoder of width 6. */
    static TextEncoder text() {
        return new TextEncoder() {
            @Override
            public int outputDim() {
                return 6;
            }

            @Override
            public Block newBlock(DataSpec spec) {
                return new SequentialBlock()
                        .add(new LambdaBlock(x -> new NDList(x.head().toType(DataType.FLOAT32, false).div(spec.vocabularySize()))))
                        .add(Linear.builder().setUnits(6).build());
            }
        };
    }

    /** The image suite over an encoder. */
    static class ImageSuite extends ImageEncoderConformance {
        final ImageEncoder encoder;

        ImageSuite(ImageEncoder encoder) {
            this.encoder = encoder;
        }

        @Override
        protected ImageEncoder encoder() {
            return encoder;
        }
    }

    /** The text suite over an encoder. */
    static class TextSuite extends TextEncoderConformance {
        @Override
        protected TextEncoder encoder() {
            return text();
        }
    }

    @Test
    void conformingEncodersPassEveryTest() throws Exception {
        Map<String, Throwable> image = Suites.run(() -> new ImageSuite(pixels(8, 8, false)));
        assertEquals(5, image.size(), image.keySet().toString());
        assertEquals("", Suites.failures(image));
        Map<String, Throwable> text = Suites.run(TextSuite::new);
        assertEquals(4, text.size(), text.keySet().toString());
        assertEquals("", Suites.failures(text));
    }

    @Test
    void anEncoderWhoseBlockIsNarrowerThanDeclaredFailsTheWidthTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new ImageSuite(pixels(16, 8, false)));
        assertInstanceOf(AssertionError.class, results.get("theOutputHasTheDeclaredWidthAndIsFinite"));
        assertNull(results.get("everyBlockHasItsOwnParameters"));
    }

    @Test
    void anEncoderThatMixesTheBatchInInferenceFailsTheIndependenceTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new ImageSuite(pixels(8, 8, true)));
        assertInstanceOf(AssertionError.class, results.get("inferenceTreatsSamplesIndependently"));
        assertNull(results.get("theOutputHasTheDeclaredWidthAndIsFinite"));
    }

    @Test
    void aFactoryThatReturnsOneSharedBlockFailsTheFreshBlockTest() throws Exception {
        ImageEncoder shared = new ImageEncoder() {
            private final Block block = pixels(8, 8, false).newBlock(null);

            @Override
            public ImageSpace inputSpace() {
                return ImageSpace.PIXELS;
            }

            @Override
            public int outputDim() {
                return 8;
            }

            @Override
            public Block newBlock(DataSpec spec) {
                return block;
            }
        };
        Map<String, Throwable> results = Suites.run(() -> new ImageSuite(shared));
        assertInstanceOf(AssertionError.class, results.get("everyBlockHasItsOwnParameters"));
    }
}
