package org.synthloom.models.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "TorchScript image encoder",
        description = "A pretrained image encoder: a TorchScript module (torch.jit.save) mapping (B, C, H, W) float images to (B, output.dim) features, loaded with DJL's PyTorch engine.")
@interface TorchScriptConfig {

    @AttributeDefinition(name = "Module file",
            description = "The .pt file; a relative path is resolved against the Synthloom home (synthloom.home, else the working directory). Read when a model is built, not at activation.")
    String path() default "";

    @AttributeDefinition(name = "Output width", description = "Width D of the module's (B, D) output; checked against the module when the model is initialised. Required.")
    int output_dim() default 0;

    @AttributeDefinition(name = "Trainable",
            description = "true: the module's parameters are fine-tuned with the rest of the model; false: frozen, the optimizer never touches them.")
    boolean trainable() default true;

    @AttributeDefinition(name = "Input space", description = "What the module reads; only pixels.",
            options = {@Option(label = "pixels", value = "pixels")})
    String input_space() default "pixels";
}
