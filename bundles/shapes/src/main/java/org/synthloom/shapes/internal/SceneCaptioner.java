package org.synthloom.shapes.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes three to five human-like paraphrases of a scene from templates with light synonyms.
 * Every caption names the main object's colour and shape with the world's exact words; sizes,
 * background, position, relation and the other objects vary by template. Templates (M main object,
 * O the second object, when there is one):
 * <ol>
 * <li>{@code a small red circle on a striped grey background} (or {@code backdrop})</li>
 * <li>{@code red circle}</li>
 * <li>{@code a picture of a small red circle} (photo, image, drawing)</li>
 * <li>{@code a red circle to the left of a large blue square} (O only)</li>
 * <li>{@code there is a circle, coloured red, above a blue square} (with O) or
 *     {@code there is a circle, coloured red, in the top left corner} (without)</li>
 * <li>{@code two shapes: a red circle and a blue square} (O only)</li>
 * <li>{@code a red circle in the top left corner} (on the left, at the top, in the centre)</li>
 * </ol>
 * Size words have synonyms (large/big, small/little), "below" may read "under".
 */
final class SceneCaptioner {

    private static final List<String> FRAMES = List.of("a picture of", "a photo of", "an image of", "a drawing of");
    private static final List<String> NUMBERS = List.of("zero", "one", "two", "three");

    private SceneCaptioner() {}

    /**
     * @param scene the scene
     * @param rng the scene's random state, after sampling
     * @return three to five distinct captions
     */
    static List<String> captions(Scene scene, Rng rng) {
        SceneObject m = scene.main();
        boolean pair = scene.objects().size() >= 2;
        SceneObject o = pair ? scene.objects().get(1) : null;
        List<Supplier<String>> templates = new ArrayList<>();
        templates.add(() -> phrase(m, size(m, rng)) + " on " + background(scene, rng));
        templates.add(() -> m.colour() + " " + m.shape());
        templates.add(() -> rng.pick(FRAMES) + " " + phrase(m, size(m, rng)));
        if (pair) {
            templates.add(() -> phrase(m, null) + " " + relation(scene, rng) + " " + phrase(o, size(o, rng)));
        }
        templates.add(() -> "there is " + Vocabulary.article(m.shape()) + " " + m.shape() + ", coloured " + m.colour()
                + ", " + (pair ? relation(scene, rng) + " " + phrase(o, null) : position(m)));
        if (pair) {
            templates.add(() -> listing(scene));
        }
        templates.add(() -> phrase(m, null) + " " + position(m));

        int count = 3 + rng.nextInt(3);
        int[] order = rng.permutation(templates.size());
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < order.length && captions.size() < count; i++) {
            String caption = templates.get(order[i]).get();
            if (!captions.contains(caption)) {
                captions.add(caption);
            }
        }
        return captions;
    }

    /** "a small red circle", or "a red circle" without a size word. */
    private static String phrase(SceneObject o, String sizeWord) {
        String words = (sizeWord == null ? "" : sizeWord + " ") + o.colour() + " " + o.shape();
        return Vocabulary.article(words) + " " + words;
    }

    private static String size(SceneObject o, Rng rng) {
        return "large".equals(o.size()) ? rng.pick(List.of("large", "big")) : rng.pick(List.of("small", "little"));
    }

    private static String background(Scene scene, Rng rng) {
        String words = scene.texture() + " " + scene.background() + " " + rng.pick(List.of("background", "backdrop"));
        return Vocabulary.article(words) + " " + words;
    }

    private static String relation(Scene scene, Rng rng) {
        return switch (scene.relation().orElseThrow()) {
            case "left of" -> "to the left of";
            case "right of" -> "to the right of";
            case "above" -> "above";
            default -> rng.pick(List.of("below", "under"));
        };
    }

    /** "in the top left corner", "on the left", "at the top" or "in the centre". */
    private static String position(SceneObject o) {
        String v = Vocabulary.vertical(o.y());
        String h = Vocabulary.horizontal(o.x());
        boolean vertical = !"middle".equals(v);
        boolean horizontal = !"centre".equals(h);
        if (vertical && horizontal) {
            return "in the " + v + " " + h + " corner";
        }
        return horizontal ? "on the " + h : vertical ? "at the " + v : "in the centre";
    }

    /** "two shapes: a red circle and a blue square", "three shapes: a, b and c". */
    private static String listing(Scene scene) {
        List<SceneObject> objects = scene.objects();
        StringBuilder text = new StringBuilder(NUMBERS.get(objects.size())).append(" shapes: ");
        for (int i = 0; i < objects.size(); i++) {
            if (i > 0) {
                text.append(i == objects.size() - 1 ? " and " : ", ");
            }
            text.append(phrase(objects.get(i), null));
        }
        return text.toString();
    }
}
