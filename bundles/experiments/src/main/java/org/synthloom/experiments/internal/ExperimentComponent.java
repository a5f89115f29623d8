package org.synthloom.experiments.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.run.Experiment;
import org.synthloom.api.run.ExperimentRun;
import org.synthloom.api.run.Pipeline;
import org.synthloom.store.RunStore;

/**
 * An experiment configured by a factory configuration of {@value #FACTORY_PID}. Each variant and
 * seed runs as a pipeline of its own, made with ConfigAdmin as a copy of the base pipeline's
 * configuration with the variant's settings and the seed, so it shows up and runs like any
 * pipeline; values are typed by the pipeline's Metatype. The generated configurations are removed
 * when the experiment ends unless it keeps them; their runs stay in the run store, tagged with the
 * experiment, variant and seed.
 */
@Component(configurationPid = ExperimentComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = ExperimentConfig.class, factory = true)
public class ExperimentComponent implements Experiment, ExperimentExecution.Pipelines {

    static final String FACTORY_PID = "org.synthloom.experiment";
    static final String PIPELINE_FACTORY_PID = "org.synthloom.pipeline";
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentComponent.class);
    private static final Duration APPEAR = Duration.ofSeconds(60);

    private final BundleContext context;
    private final ConfigurationAdmin configurations;
    private final MetaTypeService metatype;
    private final RunStore store;
    private final ExperimentSpec spec;
    private final Map<String, Map.Entry<Pipeline, String>> pipelines = new ConcurrentHashMap<>();
    private final ServiceRegistration<Experiment> registration;
    private ExperimentExecution current;

    /**
     * @throws IllegalArgumentException listing every problem of the configuration
     */
    @Activate
    public ExperimentComponent(BundleContext context, ExperimentConfig config, Map<String, Object> properties,
            @Reference(name = "configurations") ConfigurationAdmin configurations,
            @Reference(name = "metatype") MetaTypeService metatype, @Reference(name = "store") RunStore store) {
        this.context = context;
        this.configurations = configurations;
        this.metatype = metatype;
        this.store = store;
        this.spec = ExperimentSpec.of(config, properties);
        if (!spec.problems().isEmpty()) {
            String source = String.valueOf(properties.getOrDefault("felix.fileinstall.filename", properties.get("service.pid")));
            throw new IllegalArgumentException("experiment " + spec.name() + " (" + source + ") cannot run: "
                    + String.join("; ", spec.problems()));
        }
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(NAME_PROPERTY, spec.name());
        serviceProperties.put("synthloom.experiment.pipeline", spec.pipeline());
        this.registration = context.registerService(Experiment.class, this, serviceProperties);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
        ExperimentExecution running;
        synchronized (this) {
            running = current;
        }
        if (running != null && !running.state().isTerminal()) {
            running.cancel();
            running.await(Duration.ofSeconds(60));
        }
    }

    @Reference(name = "pipelines", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPipeline(Pipeline pipeline, Map<String, Object> properties) {
        pipelines.put(String.valueOf(properties.get(Pipeline.NAME_PROPERTY)),
                Map.entry(pipeline, String.valueOf(properties.getOrDefault(Pipeline.HASH_PROPERTY, ""))));
    }

    void updatedPipeline(Pipeline pipeline, Map<String, Object> properties) {
        bindPipeline(pipeline, properties);
    }

    void unbindPipeline(Pipeline pipeline, Map<String, Object> properties) {
        pipelines.computeIfPresent(String.valueOf(properties.get(Pipeline.NAME_PROPERTY)),
                (name, entry) -> entry.getKey() == pipeline ? null : entry);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public String pipeline() {
        return spec.pipeline();
    }

    @Override
    public List<String> variants() {
        return spec.variants().stream().map(Variant::name).toList();
    }

    @Override
    public List<Long> seeds() {
        return spec.seeds();
    }

    @Override
    public synchronized ExperimentRun start() {
        if (current != null && !current.state().isTerminal()) {
            return current;
        }
        current = new ExperimentExecution(spec, this, store);
        current.start();
        return current;
    }

    @Override
    public synchronized Optional<ExperimentRun> current() {
        return Optional.ofNullable(current);
    }

    // --- Pipelines: the variant pipelines as ConfigAdmin factory configurations ---

    @Override
    public ExperimentExecution.Prepared prepare(String name, Variant variant, long seed) throws Exception {
        Dictionary<String, Object> properties = compose(name, variant, seed);
        Configuration configuration = configurations.getFactoryConfiguration(PIPELINE_FACTORY_PID, name, "?");
        if (configuration.getProperties() != null && !same(configuration.getProperties(), properties)) {
            // A fresh configuration rather than an update: its pipeline then surely carries the new settings.
            configuration.delete();
            await(() -> !pipelines.containsKey(name), "the old pipeline " + name + " to go");
            configuration = configurations.getFactoryConfiguration(PIPELINE_FACTORY_PID, name, "?");
        }
        if (configuration.getProperties() == null) {
            configuration.update(properties);
        }
        await(() -> pipelines.containsKey(name), "pipeline " + name + " to appear (is its configuration valid? see the"
                + " log)");
        Map.Entry<Pipeline, String> entry = pipelines.get(name);
        return new ExperimentExecution.Prepared(entry.getKey(), entry.getValue());
    }

    @Override
    public void remove(String name) {
        try {
            Configuration configuration = configurations.getFactoryConfiguration(PIPELINE_FACTORY_PID, name, "?");
            configuration.delete();
        } catch (IOException | IllegalStateException e) {
            LOG.warn("experiment {}: the configuration of {} could not be removed: {}", spec.name(), name, e.toString());
        }
    }

    /** The base pipeline's configuration with the variant's settings, the seed and the name. */
    private Dictionary<String, Object> compose(String name, Variant variant, long seed) throws IOException,
            InvalidSyntaxException {
        Dictionary<String, Object> base = baseConfiguration();
        Map<String, AttributeDefinition> attributes = pipelineAttributes();
        Hashtable<String, Object> properties = new Hashtable<>();
        for (Enumeration<String> keys = base.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!key.startsWith("service.") && !key.startsWith("felix.") && !key.equals("name")) {
                properties.put(key, base.get(key));
            }
        }
        for (Map.Entry<String, String> setting : variant.settings().entrySet()) {
            String key = setting.getKey();
            AttributeDefinition ad = attributes.get(key);
            Object example = base.get(key);
            if (ad == null && example == null && !attributes.isEmpty()) {
                throw new IllegalArgumentException("variant '" + variant.name() + "' sets '" + key
                        + "', which pipelines do not have");
            }
            properties.put(key, Values.convert(key, setting.getValue(), ad == null ? 0 : ad.getType(),
                    ad != null && ad.getCardinality() != 0, example));
        }
        properties.put("seed", seed);
        properties.put("name", name);
        Object description = base.get("description");
        properties.put("description", (description == null ? "" : description + " ") + "[experiment " + spec.name()
                + ", variant " + variant.name() + ", seed " + seed + "]");
        return properties;
    }

    private Dictionary<String, Object> baseConfiguration() throws IOException, InvalidSyntaxException {
        Configuration[] all = configurations.listConfigurations("(service.factoryPid=" + PIPELINE_FACTORY_PID + ")");
        for (Configuration c : all == null ? new Configuration[0] : all) {
            Dictionary<String, Object> p = c.getProperties();
            if (p == null) {
                continue;
            }
            Object configured = p.get("name");
            String pid = c.getPid();
            String fromPid = pid.contains("~") ? pid.substring(pid.indexOf('~') + 1) : "";
            String name = configured != null && !String.valueOf(configured).isBlank() ? String.valueOf(configured).trim()
                    : fromPid;
            if (name.equals(spec.pipeline())) {
                return p;
            }
        }
        throw new IllegalStateException("experiment " + spec.name() + ": there is no pipeline configuration named '"
                + spec.pipeline() + "' (add runtime-config/" + PIPELINE_FACTORY_PID + "-" + spec.pipeline() + ".json)");
    }

    /** @return the pipeline configuration's attributes by id, from the Metatype of the bundle that declares it */
    private Map<String, AttributeDefinition> pipelineAttributes() {
        Map<String, AttributeDefinition> attributes = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            MetaTypeInformation info = metatype.getMetaTypeInformation(bundle);
            if (info == null || !List.of(info.getFactoryPids()).contains(PIPELINE_FACTORY_PID)) {
                continue;
            }
            ObjectClassDefinition ocd = info.getObjectClassDefinition(PIPELINE_FACTORY_PID, null);
            for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
                attributes.put(ad.getID(), ad);
            }
        }
        return attributes;
    }

    private static boolean same(Dictionary<String, Object> current, Dictionary<String, Object> wanted) {
        for (Enumeration<String> keys = wanted.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!java.util.Objects.deepEquals(current.get(key), wanted.get(key))) {
                return false;
            }
        }
        for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!key.startsWith("service.") && !key.startsWith("felix.") && wanted.get(key) == null) {
                return false;
            }
        }
        return true;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + APPEAR.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + APPEAR.toSeconds() + " s for " + what);
            }
            Thread.sleep(50);
        }
    }
}
