package org.synthloom.console.internal;

import java.io.IOException;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Optional;
import java.util.TreeMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.synthloom.api.Plugins;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Pipeline configurations: factory configurations of {@value #FACTORY_PID}, with forms drawn from
 * the engine's Metatype and the stage components that are running now.
 */
final class PipelinesApi {

    static final String FACTORY_PID = "org.synthloom.pipeline";
    static final String PROBLEMS = "synthloom.pipeline.problems";
    private static final String FILENAME = "felix.fileinstall.filename";

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final MetaTypeService metaType;
    private final ServiceComponentRuntime scr;

    PipelinesApi(BundleContext context, ConfigurationAdmin configurationAdmin, MetaTypeService metaType,
            ServiceComponentRuntime scr) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        this.metaType = metaType;
        this.scr = scr;
    }

    /** @return the pipeline form, from the Metatype of the bundle that designates the factory PID */
    PipelineForms forms() {
        for (Bundle b : context.getBundles()) {
            MetaTypeInformation info = metaType.getMetaTypeInformation(b);
            if (info == null) {
                continue;
            }
            for (String pid : info.getFactoryPids()) {
                if (pid.equals(FACTORY_PID)) {
                    ObjectClassDefinition ocd = info.getObjectClassDefinition(FACTORY_PID, null);
                    return new PipelineForms(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL));
                }
            }
        }
        throw new ApiException(503, "no bundle describes pipeline configurations (is org.synthloom.pipeline active?)");
    }

    ApiResponse schema(ApiRequest request) {
        JsonObject body = new JsonObject();
        body.addProperty("factoryPid", FACTORY_PID);
        body.add("fields", forms().describe());
        body.add("choices", choices());
        return ApiResponse.ok(body);
    }

    /** For each {@code <role>.target} field: the running services that can fill the role. */
    private JsonObject choices() {
        JsonObject choices = new JsonObject();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!d.configurationPid[0].equals(FACTORY_PID)) {
                continue;
            }
            for (ReferenceDTO r : d.references) {
                JsonArray options = new JsonArray();
                try {
                    Collection<ServiceReference<Object>> refs = serviceReferences(r.interfaceName);
                    TreeMap<String, JsonObject> sorted = new TreeMap<>();
                    for (ServiceReference<?> ref : refs) {
                        Object name = ref.getProperty(Plugins.NAME);
                        Object kind = ref.getProperty(Plugins.KIND);
                        if (name == null) {
                            continue;
                        }
                        JsonObject o = new JsonObject();
                        o.addProperty("value", "(" + Plugins.NAME + "=" + name + ")");
                        o.addProperty("label", kind + "/" + name + "@" + ref.getBundle().getVersion());
                        sorted.put(o.get("label").getAsString(), o);
                    }
                    sorted.values().forEach(options::add);
                } catch (InvalidSyntaxException | IllegalStateException e) {
                    continue;
                }
                choices.add(r.name + ".target", options);
            }
        }
        return choices;
    }

    @SuppressWarnings("unchecked")
    private Collection<ServiceReference<Object>> serviceReferences(String interfaceName) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = context.getAllServiceReferences(interfaceName, null);
        java.util.List<ServiceReference<Object>> list = new java.util.ArrayList<>();
        for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
            list.add((ServiceReference<Object>) r);
        }
        return list;
    }

    ApiResponse list(ApiRequest request) throws Exception {
        PipelineForms forms = forms();
        JsonArray pipelines = new JsonArray();
        Configuration[] configurations = configurationAdmin.listConfigurations("(service.factoryPid=" + FACTORY_PID + ")");
        TreeMap<String, Configuration> byName = new TreeMap<>();
        for (Configuration c : configurations == null ? new Configuration[0] : configurations) {
            byName.put(name(c), c);
        }
        for (var e : byName.entrySet()) {
            pipelines.add(describe(e.getKey(), e.getValue(), forms));
        }
        JsonObject body = new JsonObject();
        body.add("pipelines", pipelines);
        return ApiResponse.ok(body);
    }

    ApiResponse get(ApiRequest request) throws Exception {
        String name = DataPaths.name(request.param("name"), "pipeline name");
        Configuration c = find(name).orElseThrow(() -> ApiException.notFound("no pipeline configuration named " + name));
        return ApiResponse.ok(describe(name, c, forms()));
    }

    private JsonObject describe(String name, Configuration c, PipelineForms forms) {
        JsonObject p = new JsonObject();
        p.addProperty("name", name);
        p.addProperty("pid", c.getPid());
        Dictionary<String, Object> properties = c.getProperties();
        p.add("properties", forms.values(properties));
        Object file = properties == null ? null : properties.get(FILENAME);
        if (file != null) {
            String f = file.toString();
            p.addProperty("file", f.substring(f.lastIndexOf('/') + 1));
        }
        ServiceReference<Pipeline> ref = pipelineService(pipelineName(name, properties)).orElse(null);
        p.addProperty("registered", ref != null);
        JsonArray problems = new JsonArray();
        if (ref != null) {
            Object listed = ref.getProperty(PROBLEMS);
            if (listed instanceof String[] strings) {
                for (String s : strings) {
                    problems.add(s);
                }
            }
            Pipeline pipeline = context.getService(ref);
            if (pipeline != null) {
                try {
                    Optional<Run> run = pipeline.currentRun();
                    run.ifPresent(r -> {
                        JsonObject current = new JsonObject();
                        current.addProperty("id", r.id());
                        current.addProperty("state", r.state().name());
                        p.add("currentRun", current);
                    });
                } finally {
                    context.ungetService(ref);
                }
            }
        }
        p.add("problems", problems);
        return p;
    }

    /** The pipeline's name: its {@code name} property when set, else the configuration's name. */
    private static String pipelineName(String configurationName, Dictionary<String, Object> properties) {
        Object n = properties == null ? null : properties.get("name");
        String named = n == null ? "" : n.toString().trim();
        // A name the engine refuses (it reports why) is never put into a filter.
        return named.matches("[A-Za-z0-9._-]+") ? named : configurationName;
    }

    Optional<ServiceReference<Pipeline>> pipelineService(String name) {
        try {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                return Optional.empty();
            }
            return context.getServiceReferences(Pipeline.class, "(" + Pipeline.NAME_PROPERTY + "=" + name + ")").stream()
                    .findFirst();
        } catch (InvalidSyntaxException e) {
            return Optional.empty();
        }
    }

    static String name(Configuration c) {
        String pid = c.getPid();
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }

    private Optional<Configuration> find(String name) throws IOException, InvalidSyntaxException {
        Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + FACTORY_PID + "~" + name + ")");
        return found == null || found.length == 0 ? Optional.empty() : Optional.of(found[0]);
    }

    ApiResponse create(ApiRequest request) throws Exception {
        var json = request.json();
        String name = DataPaths.name(ApiRequest.string(json, "name"), "pipeline name");
        Hashtable<String, Object> properties = forms().convert(properties(json));
        if (find(name).isPresent()) {
            throw ApiException.conflict("a pipeline configuration named " + name + " exists already");
        }
        Configuration c = configurationAdmin.getFactoryConfiguration(FACTORY_PID, name, "?");
        return saved(name, pipelineName(name, properties), 201, null, () -> c.update(properties));
    }

    ApiResponse update(ApiRequest request) throws Exception {
        String name = DataPaths.name(request.param("name"), "pipeline name");
        var json = request.json();
        Configuration c = find(name).orElseThrow(() -> ApiException.notFound("no pipeline configuration named " + name));
        Hashtable<String, Object> properties = forms().convert(properties(json));
        Dictionary<String, Object> old = c.getProperties();
        Object file = old == null ? null : old.get(FILENAME);
        if (file != null) {
            properties.put(FILENAME, file); // deleting the file still deletes the configuration
        }
        return saved(name, pipelineName(name, properties), 200, file == null ? null : "this pipeline comes from the file "
                + file + "; the change lasts until that file changes or Synthloom restarts: edit the file to keep it",
                () -> c.update(properties));
    }

    ApiResponse copy(ApiRequest request) throws Exception {
        String from = DataPaths.name(request.param("name"), "pipeline name");
        String name = DataPaths.name(ApiRequest.string(request.json(), "name"), "pipeline name");
        Configuration source = find(from).orElseThrow(() -> ApiException.notFound("no pipeline configuration named " + from));
        if (find(name).isPresent()) {
            throw ApiException.conflict("a pipeline configuration named " + name + " exists already");
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        Dictionary<String, Object> old = source.getProperties();
        for (Enumeration<String> keys = old.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            // The copy is named by its configuration and belongs to no file.
            if (!key.startsWith("service.") && !key.equals(FILENAME) && !key.equals("name")) {
                properties.put(key, old.get(key));
            }
        }
        Configuration c = configurationAdmin.getFactoryConfiguration(FACTORY_PID, name, "?");
        return saved(name, name, 201, null, () -> c.update(properties));
    }

    ApiResponse delete(ApiRequest request) throws Exception {
        String name = DataPaths.name(request.param("name"), "pipeline name");
        Configuration c = find(name).orElseThrow(() -> ApiException.notFound("no pipeline configuration named " + name));
        Dictionary<String, Object> properties = c.getProperties();
        if (properties != null && properties.get(FILENAME) != null) {
            throw ApiException.conflict("pipeline " + name + " comes from the file " + properties.get(FILENAME)
                    + ": delete that file to remove it (the console writes no files outside the data directory)");
        }
        c.delete();
        JsonObject body = new JsonObject();
        body.addProperty("deleted", name);
        return ApiResponse.ok(body);
    }

    private static JsonObject properties(JsonObject json) {
        if (!json.has("properties")) {
            return new JsonObject();
        }
        if (!json.get("properties").isJsonObject()) {
            throw ApiException.badRequest("the field 'properties' must be an object, not " + ApiRequest.kind(json.get("properties")));
        }
        return json.getAsJsonObject("properties");
    }

    /** A change of ConfigAdmin state. */
    @FunctionalInterface
    private interface Change {
        void apply() throws IOException;
    }

    /**
     * Applies a change and answers with the saved configuration once the engine has registered or
     * modified the pipeline's service (so the answer carries the problems the engine found).
     */
    private ApiResponse saved(String name, String pipelineName, int status, String warning, Change change) throws Exception {
        java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
        org.osgi.framework.ServiceListener listener = event -> seen.countDown();
        context.addServiceListener(listener, "(&(objectClass=" + Pipeline.class.getName() + ")(" + Pipeline.NAME_PROPERTY
                + "=" + pipelineName + "))");
        try {
            change.apply();
            seen.await(3, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            context.removeServiceListener(listener);
        }
        Configuration c = find(name).orElseThrow(() -> ApiException.notFound("pipeline " + name + " vanished while saving"));
        JsonObject described = describe(name, c, forms());
        if (warning != null) {
            described.addProperty("warning", warning);
        }
        return ApiResponse.json(status, described);
    }

    ApiResponse start(ApiRequest request) {
        String name = DataPaths.name(request.param("name"), "pipeline name");
        ServiceReference<Pipeline> ref = pipelineService(name)
                .orElseThrow(() -> ApiException.notFound("no pipeline named " + name + " is registered"));
        Pipeline pipeline = context.getService(ref);
        if (pipeline == null) {
            throw ApiException.conflict("pipeline " + name + " is going away");
        }
        try {
            Run run = pipeline.start();
            JsonObject body = new JsonObject();
            body.addProperty("id", run.id());
            body.addProperty("pipeline", run.pipeline());
            body.addProperty("state", run.state().name());
            return ApiResponse.json(201, body);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        } catch (IllegalStateException e) {
            throw ApiException.conflict(e.getMessage());
        } finally {
            context.ungetService(ref);
        }
    }
}
