package org.synthloom.shapes.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The words of the shapes world and what they look like. Object colours are saturated and far
 * apart, background colours are muted and never an object colour's word, so that a caption's
 * colour word always names an object.
 */
final class Vocabulary {

    /** Shape words, in class-name order. */
    static final List<String> SHAPES = List.of("circle", "square", "triangle", "star", "hexagon", "diamond");

    /** Object colour words with their 0xRRGGBB value, in class-name order. */
    static final Map<String, Integer> COLOURS = ordered(
            "red", 0xDC2828, "green", 0x28A83C, "blue", 0x2850E0, "yellow", 0xF5DC28,
            "purple", 0x9632BE, "orange", 0xF58C14, "white", 0xF5F5F5, "black", 0x191919);

    /** Size words; the main object is never smaller than another object of its scene. */
    static final List<String> SIZES = List.of("small", "large");

    /** Background textures. */
    static final List<String> TEXTURES = List.of("plain", "striped", "dotted", "checkered", "gradient");

    /** Muted background colours with their 0xRRGGBB value. */
    static final Map<String, Integer> BACKGROUNDS = ordered(
            "grey", 0x808080, "beige", 0xCDBE9B, "slate", 0x5A6478, "olive", 0x6E6E3C);

    /** Relations of the main object to the second object, derived from their positions. */
    static final List<String> RELATIONS = List.of("left of", "right of", "above", "below");

    /** The 48 concepts "colour shape", colour-major: index = colourIndex * 6 + shapeIndex. */
    static final List<String> CONCEPTS = concepts();

    /** Radius of an object as a fraction of the image side. */
    static final double SMALL_RADIUS = 0.12;
    static final double LARGE_RADIUS = 0.19;

    private Vocabulary() {}

    static double radius(String size) {
        return "large".equals(size) ? LARGE_RADIUS : SMALL_RADIUS;
    }

    static String concept(String colour, String shape) {
        return colour + " " + shape;
    }

    /** @return the colour word of a concept */
    static String colourOf(String concept) {
        return concept.substring(0, concept.indexOf(' '));
    }

    /** @return the shape word of a concept */
    static String shapeOf(String concept) {
        return concept.substring(concept.indexOf(' ') + 1);
    }

    /**
     * Normalises a concept name (case, spaces) and checks it.
     *
     * @throws IllegalArgumentException naming the vocabulary if it is not "colour shape"
     */
    static String requireConcept(String name, String what) {
        String normal = name.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (!CONCEPTS.contains(normal)) {
            throw new IllegalArgumentException("unknown concept '" + name + "' in " + what
                    + ": a concept is '<colour> <shape>' with a colour of " + COLOURS.keySet()
                    + " and a shape of " + SHAPES);
        }
        return normal;
    }

    /**
     * The relation of object {@code a} to object {@code b}: the axis with the larger offset
     * decides; y grows downwards.
     */
    static String relation(SceneObject a, SceneObject b) {
        double dx = b.x() - a.x();
        double dy = b.y() - a.y();
        if (Math.abs(dx) >= Math.abs(dy)) {
            return dx > 0 ? "left of" : "right of";
        }
        return dy > 0 ? "above" : "below";
    }

    /** @return top, middle or bottom */
    static String vertical(double y) {
        return y < 0.4 ? "top" : y > 0.6 ? "bottom" : "middle";
    }

    /** @return left, centre or right */
    static String horizontal(double x) {
        return x < 0.4 ? "left" : x > 0.6 ? "right" : "centre";
    }

    /** @return "an" before a vowel, else "a" */
    static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private static List<String> concepts() {
        List<String> all = new ArrayList<>();
        for (String colour : COLOURS.keySet()) {
            for (String shape : SHAPES) {
                all.add(concept(colour, shape));
            }
        }
        return Collections.unmodifiableList(all);
    }

    private static Map<String, Integer> ordered(Object... pairs) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
