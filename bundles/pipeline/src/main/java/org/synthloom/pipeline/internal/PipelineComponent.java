package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.Plugins;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.generate.Recaptioner;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunListener;
import org.synthloom.api.train.Evaluator;
import org.synthloom.api.train.Objective;
import org.synthloom.djl.DeviceService;
import org.synthloom.store.RunStore;

/**
 * One pipeline per factory configuration ({@value #FACTORY_PID}). Its stage components are
 * dynamic references whose targets come from the configuration ({@code dataset.target},
 * {@code captioner.target}, ...): Declarative Services rebinds them as plugins come, go, are
 * updated or the filters are edited, and a running run picks the current one at each batch
 * boundary. The pipeline is registered as a {@link Pipeline} service named by its
 * {@value Pipeline#NAME_PROPERTY} property.
 */
@Component(service = {}, configurationPid = PipelineComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PipelineConfig.class, factory = true)
public class PipelineComponent implements Pipeline {

    static final String FACTORY_PID = "org.synthloom.pipeline";
    /** Service property listing why the pipeline cannot run; absent when it can. */
    static final String PROBLEMS_PROPERTY = "synthloom.pipeline.problems";
    private static final Logger LOG = LoggerFactory.getLogger(PipelineComponent.class);

    private final BundleContext context;
    private final DeviceService devices;
    private final RunStore store;
    private final Components components;
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
    private volatile PipelineSpec spec;
    private ServiceRegistration<Pipeline> registration;
    private PipelineRun current;

    @Activate
    public PipelineComponent(BundleContext context, PipelineConfig config, Map<String, Object> properties,
            @Reference(name = "devices") DeviceService devices, @Reference(name = "store") RunStore store) {
        this.context = context;
        this.devices = devices;
        this.store = store;
        this.components = new Components(this::installed);
        this.spec = check(new PipelineSpec(config, properties));
        this.registration = context.registerService(Pipeline.class, this, serviceProperties());
    }

    @Modified
    void modified(PipelineConfig config, Map<String, Object> properties) {
        spec = check(new PipelineSpec(config, properties));
        registration.setProperties(serviceProperties());
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
        PipelineRun run;
        synchronized (this) {
            run = current;
        }
        if (run != null && !run.state().isTerminal()) {
            run.cancel();
            run.join(Duration.ofSeconds(60));
        }
    }

    private static PipelineSpec check(PipelineSpec spec) {
        if (!spec.problems.isEmpty()) {
            LOG.error("pipeline {}{} cannot run: {}", spec.name, spec.sourceFile.isEmpty() ? "" : " (" + spec.sourceFile + ")",
                    String.join("; ", spec.problems));
        }
        return spec;
    }

    private Hashtable<String, Object> serviceProperties() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(NAME_PROPERTY, spec.name);
        properties.put(HASH_PROPERTY, spec.hash);
        properties.put("synthloom.pipeline.description", spec.description);
        if (!spec.problems.isEmpty()) {
            // What start() would refuse, for tools (the console) that show it before anyone tries.
            properties.put(PROBLEMS_PROPERTY, spec.problems.toArray(new String[0]));
        }
        return properties;
    }

    @Override
    public String name() {
        return spec.name;
    }

    @Override
    public synchronized Optional<Run> currentRun() {
        return Optional.ofNullable(current);
    }

    @Override
    public synchronized Run start() {
        PipelineSpec now = spec;
        if (!now.problems.isEmpty()) {
            throw new IllegalArgumentException("pipeline " + now.name + " cannot run: " + String.join("; ", now.problems));
        }
        if (current != null && !current.state().isTerminal()) {
            throw new IllegalStateException("run " + current.id() + " of pipeline " + now.name + " is still working");
        }
        try {
            current = PipelineRun.create(now, store, devices, components, listeners);
        } catch (IOException e) {
            throw new UncheckedIOException("the run of " + now.name + " could not be created: " + e.getMessage(), e);
        }
        current.start();
        return current;
    }

    /** @return the names of the installed services of a kind, for messages about what is missing */
    private List<String> installed(String kind) {
        try {
            TreeSet<String> names = new TreeSet<>();
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, Plugins.filter(kind));
            for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                Object name = ref.getProperty(Plugins.NAME);
                // A registered plugin whose service cannot be obtained failed to activate (Declarative
                // Services logged why): say so, or the reason "none is registered" would contradict the list.
                Object service = context.getService(ref);
                if (service != null) {
                    context.ungetService(ref);
                }
                names.add(name + "@" + ref.getBundle().getVersion()
                        + (service == null ? " (failed to activate: see the log)" : ""));
            }
            return new ArrayList<>(names);
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return List.of();
        }
    }

    private static <T> Bound<T> bound(T service, Map<String, Object> properties, ServiceReference<T> ref) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        java.util.Map<String, Object> configuration = new java.util.TreeMap<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith("service.") && !key.startsWith("component.") && !key.startsWith("felix.")
                    && !key.equals(Constants.OBJECTCLASS) && !key.startsWith("synthloom.")) {
                configuration.put(key, value instanceof Object[] array ? java.util.List.of(array) : value);
            }
        });
        return new Bound<>(service, String.valueOf(properties.get(Plugins.KIND)), String.valueOf(properties.get(Plugins.NAME)),
                ref.getBundle() == null ? "?" : ref.getBundle().getVersion().toString(),
                (Long) properties.get(Constants.SERVICE_ID), ranking instanceof Integer r ? r : 0, configuration);
    }

    private static long id(Map<String, Object> properties) {
        return (Long) properties.get(Constants.SERVICE_ID);
    }

    // --- Declarative Services binds every matching component dynamically; the run picks at batch boundaries ---

    @Reference(name = "dataset", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDataset(Dataset s, Map<String, Object> p, ServiceReference<Dataset> r) {
        components.dataset.bind(bound(s, p, r));
    }

    void unbindDataset(Dataset s, Map<String, Object> p) {
        components.dataset.unbind(id(p));
    }

    @Reference(name = "captioner", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindCaptioner(CaptionGenerator s, Map<String, Object> p, ServiceReference<CaptionGenerator> r) {
        components.captioner.bind(bound(s, p, r));
    }

    void unbindCaptioner(CaptionGenerator s, Map<String, Object> p) {
        components.captioner.unbind(id(p));
    }

    @Reference(name = "generator", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindGenerator(ImageGenerator s, Map<String, Object> p, ServiceReference<ImageGenerator> r) {
        components.generator.bind(bound(s, p, r));
    }

    void unbindGenerator(ImageGenerator s, Map<String, Object> p) {
        components.generator.unbind(id(p));
    }

    @Reference(name = "recipe", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindRecipe(ModelRecipe s, Map<String, Object> p, ServiceReference<ModelRecipe> r) {
        components.recipe.bind(bound(s, p, r));
    }

    void unbindRecipe(ModelRecipe s, Map<String, Object> p) {
        components.recipe.unbind(id(p));
    }

    @Reference(name = "objective", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindObjective(Objective s, Map<String, Object> p, ServiceReference<Objective> r) {
        components.objectives.bind(bound(s, p, r));
    }

    void unbindObjective(Objective s, Map<String, Object> p) {
        components.objectives.unbind(id(p));
    }

    // The engine applies image.tokenizer.target itself: its empty default means "none", which a DS target cannot say.
    @Reference(name = "imageTokenizer", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindImageTokenizer(ImageTokenizer s, Map<String, Object> p, ServiceReference<ImageTokenizer> r) {
        components.imageTokenizer.bind(bound(s, p, r));
    }

    void unbindImageTokenizer(ImageTokenizer s, Map<String, Object> p) {
        components.imageTokenizer.unbind(id(p));
    }

    // Named so that recaptioner.target is not a DS target: the engine applies it, its empty default meaning "none".
    @Reference(name = "recaptioners", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindRecaptioner(Recaptioner s, Map<String, Object> p, ServiceReference<Recaptioner> r) {
        components.recaptioner.bind(bound(s, p, r));
    }

    void unbindRecaptioner(Recaptioner s, Map<String, Object> p) {
        components.recaptioner.unbind(id(p));
    }

    @Reference(name = "tokenizer", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindTokenizer(Tokenizer s, Map<String, Object> p, ServiceReference<Tokenizer> r) {
        components.tokenizer.bind(bound(s, p, r));
    }

    void unbindTokenizer(Tokenizer s, Map<String, Object> p) {
        components.tokenizer.unbind(id(p));
    }

    @Reference(name = "evaluator", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindEvaluator(Evaluator s, Map<String, Object> p, ServiceReference<Evaluator> r) {
        components.evaluators.bind(bound(s, p, r));
    }

    void unbindEvaluator(Evaluator s, Map<String, Object> p) {
        components.evaluators.unbind(id(p));
    }

    @Reference(name = "listener", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindListener(RunListener listener) {
        listeners.add(listener);
    }

    void unbindListener(RunListener listener) {
        listeners.remove(listener);
    }
}
