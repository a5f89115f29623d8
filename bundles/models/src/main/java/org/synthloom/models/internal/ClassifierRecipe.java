package org.synthloom.models.internal;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ImageEncoder;
import org.synthloom.api.model.ModelRecipe;

import ai.djl.nn.Block;

/**
 * The {@code classifier} model recipe, the supervised baseline of SynCLR's comparison: the
 * referenced image encoder, a bias-free projection to {@code embed.dim} with L2 normalisation
 * ({@code image_embeds}, as the {@code clip} recipe's) and a linear head with bias over the
 * dataset's classes ({@code class_logits}). The {@code supervised} objective trains it with
 * cross-entropy on the labels.
 *
 * <p>The head is part of the model, not of the objective, because the engine optimises, saves and
 * restores the parameters of the recipe's block only: objectives are stateless functions of the
 * outputs and the batch.
 */
@Component(service = ModelRecipe.class, configurationPid = ClassifierRecipe.PID)
@SynthloomPlugin(kind = ModelRecipe.KIND, name = ClassifierRecipe.NAME)
@Designate(ocd = ClassifierConfig.class)
public class ClassifierRecipe implements ModelRecipe {

    static final String NAME = "classifier";
    static final String PID = "org.synthloom.models.classifier";
    /** The output the {@code supervised} objective reads: class logits {@code (B, classes)}, float32. */
    static final String CLASS_LOGITS = Fields.CLASS_LOGITS;

    private static final Set<String> OUTPUTS = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(Fields.IMAGE_EMBEDS, CLASS_LOGITS)));

    private final ImageEncoder imageEncoder;
    private final int embedDim;
    private final List<String> inputs;

    /**
     * @param imageEncoder the image side
     * @param config the embedding width
     * @throws IllegalArgumentException if {@code embed.dim} is not positive or the encoder reads
     *     precomputed embeddings, which have no batch field
     */
    @Activate
    public ClassifierRecipe(@Reference(name = "image", policyOption = ReferencePolicyOption.GREEDY,
                    target = "(synthloom.name=" + CnnImageEncoder.NAME + ")") ImageEncoder imageEncoder,
            ClassifierConfig config) {
        this.imageEncoder = imageEncoder;
        this.embedDim = config.embed_dim();
        Checks.positive(PID, "embed.dim", embedDim);
        this.inputs = List.of(Inputs.imageField(imageEncoder, NAME));
    }

    /** @return {@code [images]} ({@code [image_tokens]} for a VQ-token encoder) */
    @Override
    public List<String> inputs() {
        return inputs;
    }

    /** @return {@code image_embeds, class_logits} */
    @Override
    public Set<String> outputs() {
        return OUTPUTS;
    }

    /**
     * @throws IllegalArgumentException if the data has no classes
     */
    @Override
    public Block newModel(DataSpec spec) {
        if (spec.classCount() <= 0) {
            throw new IllegalArgumentException(NAME + " needs the dataset's classes to classify into, and the data has "
                    + spec.classCount());
        }
        return new ClassifierBlock(imageEncoder.newBlock(spec), inputs.get(0), embedDim, spec.classCount());
    }
}
