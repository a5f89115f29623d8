package org.synthloom.shapes.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.synthloom.shapes.internal.SceneSpec.ObjectSpec;

/**
 * Turns choices into scenes: fills in what a {@link SceneSpec} leaves open and places the objects
 * without heavy overlap, honouring the requested relation and position. Pure: the same spec and
 * random state give the same scene.
 */
final class SceneSampler {

    static final int MAX_OBJECTS = 3;

    private static final List<String> COLOUR_WORDS = List.copyOf(Vocabulary.COLOURS.keySet());
    private static final List<String> BACKGROUND_WORDS = List.copyOf(Vocabulary.BACKGROUNDS.keySet());
    /** Space kept free between an object's outer points and the image border. */
    private static final double MARGIN = 0.02;
    /** Minimum centre distance as a multiple of the sum of the radii. */
    private static final double SPACING = 1.2;
    /** A requested relation must be clear: the dominant offset at least this many times the other. */
    private static final double CLEAR_RELATION = 1.5;
    private static final int TRIES_PER_OBJECT = 60;
    private static final int LAYOUTS_PER_LEVEL = 20;

    private SceneSampler() {}

    /**
     * A dataset scene: the main object has the given concept and a random size; one or two more
     * objects (drawn from {@code others}, concepts distinct, never larger than the main object)
     * follow with probability 0.6; the background is random.
     */
    static Scene sample(Rng rng, String mainConcept, Coverage others) {
        double u = rng.nextDouble();
        int count = u < 0.4 ? 1 : u < 0.75 ? 2 : 3;
        String mainSize = rng.pick(Vocabulary.SIZES);
        List<ObjectSpec> specs = new ArrayList<>();
        specs.add(new ObjectSpec(Vocabulary.shapeOf(mainConcept), Vocabulary.colourOf(mainConcept), mainSize));
        Set<String> used = new HashSet<>(Set.of(mainConcept));
        for (int attempt = 0; specs.size() < count && attempt < 20; attempt++) {
            String concept = others.pick(rng);
            if (used.add(concept)) {
                specs.add(new ObjectSpec(Vocabulary.shapeOf(concept), Vocabulary.colourOf(concept),
                        otherSize(mainSize, rng)));
            }
        }
        return realise(SceneSpec.of(specs), 1, rng);
    }

    /**
     * Completes and places a spec. Missing shapes, colours, background texture and colour are
     * uniform; a missing main size is uniform, a missing other size is small next to a small main
     * object and uniform otherwise; a relation without a second object adds a random one.
     *
     * @param required how many leading objects must be placed; objects after them are dropped
     *     when they do not fit. If the constraints cannot be met, the position is given up first,
     *     then the relation, then every object but the main one.
     */
    static Scene realise(SceneSpec spec, int required, Rng rng) {
        List<ObjectSpec> specs = new ArrayList<>(spec.objects().subList(0, Math.min(spec.objects().size(), MAX_OBJECTS)));
        if (specs.isEmpty()) {
            specs.add(new ObjectSpec(null, null, null));
        }
        if (spec.relation() != null && specs.size() < 2) {
            specs.add(new ObjectSpec(null, null, null));
        }
        List<ObjectSpec> filled = new ArrayList<>();
        for (ObjectSpec s : specs) {
            String shape = s.shape() != null ? s.shape() : rng.pick(Vocabulary.SHAPES);
            String colour = s.colour() != null ? s.colour() : rng.pick(COLOUR_WORDS);
            String size = s.size() != null ? s.size()
                    : filled.isEmpty() ? rng.pick(Vocabulary.SIZES) : otherSize(filled.get(0).size(), rng);
            filled.add(new ObjectSpec(shape, colour, size));
        }
        String texture = spec.texture() != null ? spec.texture() : rng.pick(Vocabulary.TEXTURES);
        String background = spec.background() != null ? spec.background() : rng.pick(BACKGROUND_WORDS);
        int need = Math.max(1, Math.min(required, filled.size()));
        return new Scene(place(filled, spec, need, rng), texture, background);
    }

    private static String otherSize(String mainSize, Rng rng) {
        return "small".equals(mainSize) ? "small" : rng.pick(Vocabulary.SIZES);
    }

    private static List<SceneObject> place(List<ObjectSpec> objects, SceneSpec spec, int required, Rng rng) {
        for (int level = 0; level < 3; level++) {
            for (int attempt = 0; attempt < LAYOUTS_PER_LEVEL; attempt++) {
                List<SceneObject> placed = layout(objects, spec, level, level == 2 ? 1 : required, rng);
                if (placed != null) {
                    return placed;
                }
            }
        }
        throw new IllegalStateException("the main object did not fit"); // cannot happen: it has the image alone
    }

    /** One layout attempt at a relaxation level (0 all constraints, 1 no position, 2 none). */
    private static List<SceneObject> layout(List<ObjectSpec> objects, SceneSpec spec, int level, int required, Rng rng) {
        List<SceneObject> placed = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            SceneObject found = null;
            for (int t = 0; t < TRIES_PER_OBJECT && found == null; t++) {
                SceneObject candidate = candidate(objects.get(i), rng);
                if (fits(candidate, placed, spec, level)) {
                    found = candidate;
                }
            }
            if (found != null) {
                placed.add(found);
            } else if (i < required) {
                return null;
            }
        }
        return placed;
    }

    private static SceneObject candidate(ObjectSpec o, Rng rng) {
        double extent = Vocabulary.radius(o.size()) * 1.25 + MARGIN;
        double x = round3(rng.uniform(extent, 1 - extent));
        double y = round3(rng.uniform(extent, 1 - extent));
        int rotation = "circle".equals(o.shape()) ? 0 : rng.nextInt(31) - 15;
        return new SceneObject(o.shape(), o.colour(), o.size(), x, y, rotation);
    }

    private static boolean fits(SceneObject c, List<SceneObject> placed, SceneSpec spec, int level) {
        for (SceneObject p : placed) {
            if (Math.hypot(c.x() - p.x(), c.y() - p.y()) < SPACING * (c.radius() + p.radius())) {
                return false;
            }
        }
        if (placed.isEmpty() && level == 0) {
            return (spec.vertical() == null || spec.vertical().equals(Vocabulary.vertical(c.y())))
                    && (spec.horizontal() == null || spec.horizontal().equals(Vocabulary.horizontal(c.x())));
        }
        if (placed.size() == 1 && level <= 1 && spec.relation() != null) {
            SceneObject main = placed.get(0);
            double dx = Math.abs(c.x() - main.x());
            double dy = Math.abs(c.y() - main.y());
            return spec.relation().equals(Vocabulary.relation(main, c))
                    && Math.max(dx, dy) >= CLEAR_RELATION * Math.min(dx, dy);
        }
        return true;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
