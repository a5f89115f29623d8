package org.synthloom.shapes.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.synthloom.shapes.internal.SceneSpec.ObjectSpec;

/**
 * Reads the world's words out of free text into a {@link SceneSpec}. Words are lower-cased runs
 * of letters; anything else is ignored. Rules:
 * <ul>
 * <li>a shape word (singular or plural) makes an object with the colour and size words seen since
 *     the previous object; "a circle, coloured red" (or colored, painted, in) also works</li>
 * <li>the first object with both a colour and a shape is the main object (moved first)</li>
 * <li>"left of", "right of", "above", "over", "on top of", "below", "under", "beneath" set the
 *     relation of the first object to the second</li>
 * <li>"top", "bottom", "left", "right" (not followed by "of"), "centre", "center", "middle" place
 *     the main object</li>
 * <li>texture words and background colours (grey/gray, beige, slate, olive) set the background;
 *     an object colour followed by "background" or "backdrop" is not an object colour (and, not
 *     being a background colour, is ignored)</li>
 * <li>a colour word without any shape word yields one object of that colour</li>
 * </ul>
 */
final class CaptionParser {

    private static final Map<String, String> SIZES = Map.of("small", "small", "little", "small", "tiny", "small",
            "large", "large", "big", "large", "huge", "large");
    private static final Map<String, String> TEXTURES = Map.ofEntries(Map.entry("plain", "plain"),
            Map.entry("striped", "striped"), Map.entry("stripes", "striped"), Map.entry("stripy", "striped"),
            Map.entry("dotted", "dotted"), Map.entry("dots", "dotted"), Map.entry("spotted", "dotted"),
            Map.entry("checkered", "checkered"), Map.entry("chequered", "checkered"),
            Map.entry("checkerboard", "checkered"), Map.entry("gradient", "gradient"));
    private static final Map<String, String> RELATIONS = Map.of("above", "above", "over", "above",
            "below", "below", "under", "below", "beneath", "below", "underneath", "below");
    private static final List<String> COLOURING = List.of("coloured", "colored", "painted", "in");
    private static final List<String> BACKGROUND_NOUNS = List.of("background", "backdrop");
    private static final List<String> CENTRE = List.of("centre", "center", "middle");

    private CaptionParser() {}

    static SceneSpec parse(String caption) {
        List<String> t = Arrays.stream(caption.toLowerCase(Locale.ROOT).split("[^a-z]+"))
                .filter(w -> !w.isEmpty()).toList();
        List<ObjectSpec> objects = new ArrayList<>();
        String colour = null;
        String size = null;
        String texture = null;
        String background = null;
        String relation = null;
        String vertical = null;
        String horizontal = null;
        boolean centre = false;
        for (int i = 0; i < t.size(); i++) {
            String w = t.get(i);
            String next = i + 1 < t.size() ? t.get(i + 1) : "";
            String shape = shape(w);
            if (TEXTURES.containsKey(w)) {
                texture = texture == null ? TEXTURES.get(w) : texture;
            } else if (Vocabulary.BACKGROUNDS.containsKey(w) || w.equals("gray")) {
                background = background == null ? (w.equals("gray") ? "grey" : w) : background;
            } else if (Vocabulary.COLOURS.containsKey(w)) {
                if (!namesBackground(t, i)) {
                    colour = w;
                }
            } else if (SIZES.containsKey(w)) {
                size = SIZES.get(w);
            } else if (shape != null) {
                if (colour == null && i + 2 < t.size() && COLOURING.contains(next)
                        && Vocabulary.COLOURS.containsKey(t.get(i + 2)) && !namesBackground(t, i + 2)) {
                    colour = t.get(i + 2);
                    i += 2;
                }
                objects.add(new ObjectSpec(shape, colour, size));
                colour = null;
                size = null;
            } else if ((w.equals("left") || w.equals("right")) && next.equals("of")) {
                relation = relation == null ? w + " of" : relation;
                i++;
            } else if ((w.equals("top") || w.equals("bottom")) && next.equals("of")) {
                relation = relation == null ? (w.equals("top") ? "above" : "below") : relation;
                i++;
            } else if (RELATIONS.containsKey(w)) {
                relation = relation == null ? RELATIONS.get(w) : relation;
            } else if (w.equals("top") || w.equals("bottom")) {
                vertical = vertical == null ? w : vertical;
            } else if (w.equals("left") || w.equals("right")) {
                horizontal = horizontal == null ? w : horizontal;
            } else if (CENTRE.contains(w)) {
                centre = true;
            }
        }
        if (objects.isEmpty() && colour != null) {
            objects.add(new ObjectSpec(null, colour, size));
        }
        if (centre) {
            vertical = vertical == null ? "middle" : vertical;
            horizontal = horizontal == null ? "centre" : horizontal;
        }
        relation = promoteMain(objects, relation);
        return new SceneSpec(objects, texture, background, relation, vertical, horizontal);
    }

    /**
     * Moves the first complete (colour and shape) object to the front. The relation, stated
     * between the first two objects, is inverted when they swap and dropped when the main object
     * comes from further back.
     */
    private static String promoteMain(List<ObjectSpec> objects, String relation) {
        if (objects.isEmpty() || objects.get(0).isComplete()) {
            return relation;
        }
        for (int k = 1; k < objects.size(); k++) {
            if (objects.get(k).isComplete()) {
                objects.add(0, objects.remove(k));
                if (relation == null) {
                    return null;
                }
                return k == 1 ? inverse(relation) : null;
            }
        }
        return relation;
    }

    private static String inverse(String relation) {
        return switch (relation) {
            case "left of" -> "right of";
            case "right of" -> "left of";
            case "above" -> "below";
            default -> "above";
        };
    }

    /** A colour word followed (past texture or background words) by "background" or "backdrop". */
    private static boolean namesBackground(List<String> t, int i) {
        int j = i + 1;
        while (j < t.size() && (TEXTURES.containsKey(t.get(j)) || Vocabulary.BACKGROUNDS.containsKey(t.get(j)))) {
            j++;
        }
        return j < t.size() && BACKGROUND_NOUNS.contains(t.get(j));
    }

    /** @return the shape word of a singular or plural shape noun, or {@code null} */
    private static String shape(String word) {
        if (Vocabulary.SHAPES.contains(word)) {
            return word;
        }
        if (word.endsWith("s") && Vocabulary.SHAPES.contains(word.substring(0, word.length() - 1))) {
            return word.substring(0, word.length() - 1);
        }
        return null;
    }
}
