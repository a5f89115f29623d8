package org.synthloom.shapes.internal;

/**
 * One object of a scene.
 *
 * @param shape a shape word
 * @param colour an object colour word
 * @param size small or large
 * @param x centre, fraction of the width from the left (rounded to 3 decimals)
 * @param y centre, fraction of the height from the top (rounded to 3 decimals)
 * @param rotation degrees clockwise, a small jitter (0 for circles)
 */
record SceneObject(String shape, String colour, String size, double x, double y, int rotation) {

    /** @return "colour shape" */
    String concept() {
        return Vocabulary.concept(colour, shape);
    }

    /** @return the radius as a fraction of the image side */
    double radius() {
        return Vocabulary.radius(size);
    }

    /** @return the object as a JSON object */
    String toJson() {
        return "{\"shape\":\"" + shape + "\",\"colour\":\"" + colour + "\",\"size\":\"" + size
                + "\",\"x\":" + x + ",\"y\":" + y + ",\"rotation\":" + rotation + "}";
    }
}
