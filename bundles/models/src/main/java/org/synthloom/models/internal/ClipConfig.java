package org.synthloom.models.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/*
 * The encoders are chosen by the standard DS properties image.target and text.target; their
 * defaults, (synthloom.name=cnn) and (synthloom.name=cnn-text), are in the references of ClipRecipe.
 */
@ObjectClassDefinition(name = "CLIP model recipe",
        description = "An image encoder and a text encoder, linear projections to a shared space, a learnable temperature.")
@interface ClipConfig {

    @AttributeDefinition(name = "Embedding width", description = "Width of the shared image-text space.")
    int embed_dim() default 128;

    @AttributeDefinition(name = "Initial log logit scale",
            description = "Initial value of the learnable log temperature; ln(1/0.07) as in CLIP.")
    float logit_scale_init() default 2.6592600f;

    @AttributeDefinition(name = "Maximum logit scale", description = "Upper clamp of exp(log logit scale), as in CLIP.")
    float logit_scale_max() default 100f;

    @AttributeDefinition(name = "MIM mask ratio",
            description = "Masked image modelling with an EMA teacher (iBOT, SynCLR): the fraction of patches masked in each training image, in [0, 1). 0 turns it off; > 0 needs an image encoder with patch features (vit).")
    float mim_ratio() default 0f;

    @AttributeDefinition(name = "MIM teacher momentum",
            description = "EMA momentum m of the teacher, in [0, 1]: teacher <- m teacher + (1 - m) student before each training pass.")
    float mim_momentum() default 0.996f;
}
