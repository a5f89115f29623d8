package org.synthloom.models.internal;

import java.util.Map;

import org.synthloom.api.model.ModelRecipe;
import org.synthloom.testkit.Configs;

/**
 * The bench's door into the models bundle's private package: the configuration annotations are
 * package-private (Declarative Services builds them inside the bundle), so the bench, which runs
 * the recipes on a plain class path, builds them from here. Not part of the runtime.
 */
public final class BenchRecipes {

    private BenchRecipes() {}

    /**
     * @return the clip-tiny model of the benchmark contract: {@code clip} over {@code vit} and
     *     {@code transformer-text} at their defaults (the contract's towers), projections to 128
     */
    public static ModelRecipe clipTiny() {
        return new ClipRecipe(new VitEncoder(Configs.defaults(VitConfig.class)),
                new TransformerTextEncoder(Configs.defaults(TransformerTextConfig.class)),
                Configs.of(ClipConfig.class, Map.of("embed_dim", 128)));
    }
}
