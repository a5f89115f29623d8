package org.synthloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunState;
import org.synthloom.store.MetricPoint;
import org.synthloom.store.RunStore;

/**
 * Synth2 end to end in the real runtime, reduced for CI: a VQ-GAN fitted on the human images, a
 * MaskGIT generator fitted on their tokens and captions, class-prompted captions turned into
 * synthetic token-space pairs, and the captioning VLM (Perceiver Resampler + decoder) trained on
 * human + synthetic pairs. The run must learn: its loss falls, and its greedy captions of held-out
 * human images score a CIDEr-D at least twice the most frequent training caption's (measured at
 * stop 14: loss 4.86 at step 20 to 0.73 at step 300, CIDEr-D 0.722 against 0.207, BLEU-4 0.226
 * against 0).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class Synth2IT {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Inject
    private BundleContext context;

    @Inject
    private RunStore store;

    @Configuration
    public Option[] configuration() {
        return new Option[] {Compositions.boot("synthloom", Compositions.workFolder(Synth2IT.class))};
    }

    private Path configFolder() {
        return Path.of(context.getProperty("felix.fileinstall.dir").split(",")[1]);
    }

    /** Waits for a service of the type whose properties match the filter. */
    private <T> T await(Class<T> type, String filter) throws Exception {
        return Await.value(type.getSimpleName() + " " + filter, TIMEOUT, () -> {
            try {
                for (ServiceReference<T> ref : context.getServiceReferences(type, filter)) {
                    return context.getService(ref);
                }
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    @Test
    public void theReducedSynth2PipelineLearnsToCaptionHeldOutImages() throws Exception {
        // short fits of the tokenizer and the generator (their architectures are the defaults), applied
        // before the pipeline exists so that the run sees them from its start
        Pipelines.install("org.synthloom.vqgan.cfg", configFolder());
        Pipelines.install("org.synthloom.maskgit.cfg", configFolder());
        await(ImageTokenizer.class, "(&(synthloom.name=vqgan)(steps=120))");
        await(ImageGenerator.class, "(&(synthloom.name=maskgit)(steps=150))");
        Pipelines.install("org.synthloom.pipeline-it-synth2.json", configFolder());
        Pipeline pipeline = await(Pipeline.class, "(" + Pipeline.NAME_PROPERTY + "=it-synth2)");

        Run run = pipeline.start();
        RunState state = run.await(TIMEOUT);
        assertEquals(String.valueOf(run.events()), RunState.FINISHED, state);

        Map<String, Double> metrics = store.latestMetrics(run.id());
        assertTrue("synthetic token-space pairs were generated: " + metrics, metrics.getOrDefault("synthetic_pairs", 0.0) >= 100);
        List<Double> losses = store.metric(run.id(), "loss").stream().map(MetricPoint::value).toList();
        assertTrue("loss fell: " + losses, losses.get(losses.size() - 1) < 0.6 * losses.get(0));
        double cider = metrics.get("cider_d");
        double baseline = metrics.get("cider_d_most_frequent");
        System.out.printf("Synth2IT: loss %.3f -> %.3f, CIDEr-D %.3f (most frequent caption %.3f), BLEU-4 %.3f%n",
                losses.get(0), losses.get(losses.size() - 1), cider, baseline, metrics.get("bleu_4"));
        assertTrue("CIDEr-D " + cider + " at least twice the most frequent caption's " + baseline + ": " + metrics,
                cider > 2 * baseline);
        assertTrue("BLEU-4 above the most frequent caption's: " + metrics,
                metrics.get("bleu_4") > metrics.get("bleu_4_most_frequent"));
        // the held-out combinations are scored apart: the dataset's train.coverage reached the evaluator
        assertTrue("held-out test scenes scored apart: " + metrics,
                metrics.getOrDefault("captioning_samples_held_out", 0.0) > 0 && metrics.containsKey("cider_d_held_out"));
    }
}
