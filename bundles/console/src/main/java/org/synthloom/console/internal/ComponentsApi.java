package org.synthloom.console.internal;

import java.lang.reflect.Array;
import java.util.Map;

import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.framework.dto.ServiceReferenceDTO;
import org.synthloom.api.Plugins;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/** Declarative Services components, from the Service Component Runtime's DTOs. */
final class ComponentsApi {

    private final ServiceComponentRuntime scr;

    ComponentsApi(ServiceComponentRuntime scr) {
        this.scr = scr;
    }

    ApiResponse list(ApiRequest request) {
        JsonArray components = new JsonArray();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            components.add(describe(d));
        }
        JsonObject body = new JsonObject();
        body.add("components", components);
        return ApiResponse.ok(body);
    }

    /** @return the components that have a configuration but are not satisfied, each with what it misses */
    JsonArray unsatisfied() {
        JsonArray out = new JsonArray();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            JsonObject c = describe(d);
            for (JsonElement conf : c.getAsJsonArray("configurations")) {
                String state = conf.getAsJsonObject().get("state").getAsString();
                if (!state.equals("ACTIVE") && !state.equals("SATISFIED")) {
                    out.add(c);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * @return enabled components that need a configuration and have none (e.g. importers nobody
     *     configured): not a fault, but what they wait for
     */
    JsonArray awaitingConfiguration() {
        JsonArray out = new JsonArray();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if ("require".equals(d.configurationPolicy) && scr.isComponentEnabled(d)
                    && scr.getComponentConfigurationDTOs(d).isEmpty()) {
                JsonObject c = new JsonObject();
                c.addProperty("name", d.name);
                Object kind = d.properties.get(Plugins.KIND);
                Object name = d.properties.get(Plugins.NAME);
                if (kind != null && name != null) {
                    c.addProperty("plugin", kind + "/" + name);
                }
                c.addProperty("configurationPid", String.join(", ", d.configurationPid));
                out.add(c);
            }
        }
        return out;
    }

    JsonObject describe(ComponentDescriptionDTO d) {
        JsonObject c = new JsonObject();
        c.addProperty("name", d.name);
        c.addProperty("implementation", d.implementationClass);
        c.addProperty("bundle", d.bundle.id);
        c.addProperty("bundleName", d.bundle.symbolicName + "@" + d.bundle.version);
        c.addProperty("enabled", scr.isComponentEnabled(d));
        c.addProperty("configurationPolicy", d.configurationPolicy);
        c.addProperty("configurationPid", String.join(", ", d.configurationPid));
        Object kind = d.properties.get(Plugins.KIND);
        Object name = d.properties.get(Plugins.NAME);
        if (kind != null) {
            c.addProperty("kind", String.valueOf(kind));
        }
        if (name != null) {
            c.addProperty("pluginName", String.valueOf(name));
        }
        c.add("provides", strings(d.serviceInterfaces));
        JsonArray references = new JsonArray();
        for (ReferenceDTO r : d.references) {
            JsonObject ref = reference(r.name, r.target);
            ref.addProperty("interface", r.interfaceName);
            ref.addProperty("cardinality", r.cardinality);
            ref.addProperty("policy", r.policy);
            references.add(ref);
        }
        c.add("references", references);
        JsonArray configurations = new JsonArray();
        for (ComponentConfigurationDTO conf : scr.getComponentConfigurationDTOs(d)) {
            configurations.add(configuration(conf));
        }
        c.add("configurations", configurations);
        return c;
    }

    private JsonObject configuration(ComponentConfigurationDTO conf) {
        JsonObject json = new JsonObject();
        json.addProperty("id", conf.id);
        json.addProperty("state", state(conf.state));
        if (conf.failure != null) {
            json.addProperty("failure", conf.failure.lines().findFirst().orElse(""));
        }
        json.add("properties", properties(conf.properties));
        JsonArray satisfied = new JsonArray();
        for (SatisfiedReferenceDTO s : conf.satisfiedReferences) {
            JsonObject ref = reference(s.name, s.target);
            JsonArray bound = new JsonArray();
            for (ServiceReferenceDTO service : s.boundServices) {
                bound.add(serviceLabel(service));
            }
            ref.add("bound", bound);
            satisfied.add(ref);
        }
        json.add("satisfiedReferences", satisfied);
        JsonArray unsatisfied = new JsonArray();
        for (UnsatisfiedReferenceDTO u : conf.unsatisfiedReferences) {
            JsonObject ref = reference(u.name, u.target);
            ref.addProperty("missing", "no service matches" + (u.target == null ? "" : " " + u.target)
                    + (u.targetServices.length == 0 ? "" : " (" + u.targetServices.length + " match but do not satisfy it)"));
            unsatisfied.add(ref);
        }
        json.add("unsatisfiedReferences", unsatisfied);
        return json;
    }

    private static JsonObject reference(String name, String target) {
        JsonObject ref = new JsonObject();
        ref.addProperty("name", name);
        if (target != null) {
            ref.addProperty("target", target);
        }
        return ref;
    }

    private static JsonArray strings(String[] values) {
        JsonArray array = new JsonArray();
        for (String v : values) {
            array.add(v);
        }
        return array;
    }

    private JsonObject serviceLabel(ServiceReferenceDTO service) {
        JsonObject s = new JsonObject();
        s.addProperty("id", service.id);
        s.addProperty("bundle", service.bundle);
        Object kind = service.properties.get(Plugins.KIND);
        Object name = service.properties.get(Plugins.NAME);
        if (kind != null && name != null) {
            s.addProperty("plugin", kind + "/" + name);
        }
        Object classes = service.properties.get("objectClass");
        if (classes instanceof String[] names && names.length > 0) {
            s.addProperty("objectClass", names[0]);
        }
        return s;
    }

    /** Component properties for display: configuration values, without the framework's bookkeeping. */
    static JsonObject properties(Map<String, Object> properties) {
        JsonObject json = new JsonObject();
        properties.forEach((key, value) -> {
            if (key.startsWith("component.") || key.equals("objectClass") || key.startsWith(".")) {
                return;
            }
            json.add(key, value(value));
        });
        return json;
    }

    static JsonElement value(Object value) {
        if (value == null) {
            return new JsonPrimitive("");
        }
        if (value.getClass().isArray()) {
            JsonArray array = new JsonArray();
            for (int i = 0; i < Array.getLength(value); i++) {
                array.add(value(Array.get(value, i)));
            }
            return array;
        }
        if (value instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        return new JsonPrimitive(String.valueOf(value));
    }

    static String state(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "STATE_" + state;
        };
    }
}
