package org.synthloom.shapes.internal;

import java.util.List;

/**
 * A partial scene: what a caption asks for, or what the dataset chose before placement. Every
 * {@code null} is left to the sampler.
 *
 * @param objects the objects, main first; may be empty (one random object is drawn)
 * @param texture a texture word or {@code null}
 * @param background a background colour word or {@code null}
 * @param relation the main object's relation to the second one ({@link Vocabulary#RELATIONS}) or
 *     {@code null}
 * @param vertical where the main object is: top, middle, bottom or {@code null}
 * @param horizontal where the main object is: left, centre, right or {@code null}
 */
record SceneSpec(List<ObjectSpec> objects, String texture, String background, String relation,
        String vertical, String horizontal) {

    SceneSpec {
        objects = List.copyOf(objects);
    }

    /** A spec of the objects alone, everything else random. */
    static SceneSpec of(List<ObjectSpec> objects) {
        return new SceneSpec(objects, null, null, null, null, null);
    }

    /**
     * One object of a spec; {@code null} fields are sampled.
     *
     * @param shape a shape word or {@code null}
     * @param colour an object colour word or {@code null}
     * @param size small, large or {@code null}
     */
    record ObjectSpec(String shape, String colour, String size) {

        boolean isComplete() {
            return shape != null && colour != null;
        }
    }
}
