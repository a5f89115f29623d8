package org.synthloom.shapes.internal;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A scene graph: one to three objects on a textured background. The first object is the main
 * one; its concept is the scene's label.
 *
 * @param objects the objects, main first, at least one
 * @param texture a background texture word
 * @param background a background colour word
 */
record Scene(List<SceneObject> objects, String texture, String background) {

    Scene {
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("a scene needs an object");
        }
        objects = List.copyOf(objects);
    }

    SceneObject main() {
        return objects.get(0);
    }

    /** @return the main object's concept, the scene's label */
    String concept() {
        return main().concept();
    }

    /** @return the relation of the main object to the second one, if there is a second one */
    Optional<String> relation() {
        return objects.size() < 2 ? Optional.empty()
                : Optional.of(Vocabulary.relation(objects.get(0), objects.get(1)));
    }

    /**
     * The scene as compact JSON, e.g. {@code {"background":{"texture":"striped","colour":"grey"},
     * "objects":[{"shape":"circle","colour":"red","size":"large","x":0.312,"y":0.5,"rotation":0}]}}.
     */
    String toJson() {
        return "{\"background\":{\"texture\":\"" + texture + "\",\"colour\":\"" + background + "\"},\"objects\":["
                + objects.stream().map(SceneObject::toJson).collect(Collectors.joining(",")) + "]}";
    }
}
