package org.synthloom.tokenizers.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.FitContext;
import org.synthloom.api.train.Objective;
import org.synthloom.api.train.TrainingOptions;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

/**
 * The least {@link FitContext} a tokenizer needs: a directory and human captions. What a
 * tokenizer must not touch (device, manager, the engine's trainer) fails if called.
 */
final class TestFitContext implements FitContext {

    private final Path directory;
    private final List<String> captions;
    int opened;
    final List<long[]> progress = new ArrayList<>();
    final java.util.Map<String, java.util.Map<String, Double>> reports = new java.util.LinkedHashMap<>();

    /**
     * @param directory the fit's directory
     * @param captions the human captions, one sample each; null makes {@link #open} fail
     */
    TestFitContext(Path directory, List<String> captions) {
        this.directory = directory;
        this.captions = captions;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public long seed() {
        return 42;
    }

    @Override
    public Device device() {
        throw new UnsupportedOperationException("a tokenizer needs no device");
    }

    @Override
    public NDManager manager() {
        throw new UnsupportedOperationException("a tokenizer needs no manager");
    }

    @Override
    public int imageSize() {
        return 32;
    }

    @Override
    public List<String> classNames() {
        return List.of();
    }

    @Override
    public Tokenizer tokenizer() {
        throw new UnsupportedOperationException("the tokenizer being fitted is the pipeline's tokenizer");
    }

    @Override
    public Optional<ImageTokenizer> imageTokenizer() {
        return Optional.empty();
    }

    @Override
    public SampleSource open() throws IOException {
        if (captions == null) {
            throw new IOException("this test's data must not be read");
        }
        opened++;
        Iterator<String> it = captions.iterator();
        int[] n = {0};
        return new SampleSource() {
            @Override
            public Optional<Sample> next() {
                if (!it.hasNext()) {
                    return Optional.empty();
                }
                return Optional.of(Sample.builder("s" + n[0]++).caption(new Caption(it.next(), Provenance.human("test")))
                        .imageProvenance(Provenance.human("test")).build());
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public Block train(String label, ModelRecipe recipe, List<Objective> objectives, TrainingOptions options) {
        throw new UnsupportedOperationException("a tokenizer trains without the engine's loop");
    }

    @Override
    public void progress(String label, long done, long total) {
        progress.add(new long[] {done, total});
    }

    @Override
    public void report(String label, java.util.Map<String, Double> metrics) {
        reports.put(label, metrics);
    }
}
