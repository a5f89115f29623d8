package org.synthloom.pipeline.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunListener;
import org.synthloom.api.run.RunState;
import org.synthloom.store.internal.H2RunStore;
import org.synthloom.testkit.ClasspathDevices;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.Utf8Tokenizer;

/** One data directory with a run store, the test plugins bound, and a pipeline configuration. */
final class Harness implements AutoCloseable {

    final Path data;
    final H2RunStore store;
    final ClasspathDevices devices = new ClasspathDevices();
    final Components components = new Components(kind -> List.of("(test: nothing installed)"));
    final List<RunEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, Object> config = new HashMap<>();
    private final AtomicLong serviceIds = new AtomicLong(100);
    volatile Consumer<RunEvent> onEvent = e -> { };
    final TestPlugins.Captioner captioner = new TestPlugins.Captioner("1.0.0");
    final TestPlugins.InfoNce objective = new TestPlugins.InfoNce();
    /** The service id of the zero-shot evaluator {@link #withPlugins()} binds. */
    long zeroShot;

    Harness(Path data) {
        this.data = data;
        this.store = new H2RunStore(data);
        config.put("name", "test");
        config.put("dataset_target", "(synthloom.name=squares)");
        config.put("human_limit", 48);
        config.put("captions_per_concept", 4);
        config.put("images_per_caption", 2);
        config.put("generation_batch", 4);
        config.put("shard_size", 16);
        config.put("image_size", TestPlugins.SIZE);
        config.put("context_length", 24);
        config.put("batch_size", 16);
        config.put("train_steps", 60);
        config.put("warmup_steps", 5);
        config.put("learning_rate", 0.01);
        config.put("checkpoint_every", 20);
        config.put("log_every", 10);
        config.put("shuffle_buffer", 32);
        config.put("loader_threads", 2);
        config.put("synthetic_ratio", 0.5);
        config.put("seed", 7L);
    }

    /** Binds the standard test plugins. */
    Harness withPlugins() {
        bind(components.dataset, new TestPlugins.Squares(48), "dataset", "squares", "1.0.0");
        bind(components.captioner, captioner, "caption-generator", "template", "1.0.0");
        bind(components.generator, new TestPlugins.Painter(), "image-generator", "painter", "1.0.0");
        bind(components.recipe, new TestPlugins.TinyClip(), "model-recipe", "tiny-clip", "1.0.0");
        bind(components.objectives, objective, "objective", "clip", "1.0.0");
        bind(components.tokenizer, new Utf8Tokenizer(), "tokenizer", "bytes", "1.0.0");
        zeroShot = bind(components.evaluators, new TestPlugins.ZeroShot(), "evaluator", "zero-shot", "1.0.0");
        return this;
    }

    <T> long bind(Slot<T> slot, T service, String kind, String name, String version) {
        return bind(slot, service, kind, name, version, 0);
    }

    /** Binds a component with a service ranking, as a plugin registered with {@code service.ranking} is. */
    <T> long bind(Slot<T> slot, T service, String kind, String name, String version, int ranking) {
        return bind(slot, service, kind, name, version, ranking, Map.of("test.property", name));
    }

    /** Binds a component with the given configuration (its service properties other than the framework's). */
    <T> long bind(Slot<T> slot, T service, String kind, String name, String version, int ranking,
            Map<String, Object> configuration) {
        long id = serviceIds.incrementAndGet();
        slot.bind(new Bound<>(service, kind, name, version, id, ranking, configuration));
        return id;
    }

    PipelineSpec spec() {
        return new PipelineSpec(Configs.of(PipelineConfig.class, config), Map.of("service.pid", "org.synthloom.pipeline~test"));
    }

    PipelineRun start() throws Exception {
        RunListener recorder = event -> {
            events.add(event);
            onEvent.accept(event);
        };
        PipelineRun run = PipelineRun.create(spec(), store, devices, components, List.of(store, recorder));
        run.start();
        return run;
    }

    RunState runToEnd() throws Exception {
        return start().await(Duration.ofMinutes(3));
    }

    List<RunEvent> of(RunEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    @Override
    public void close() {
        store.close();
    }
}
