package ${package};

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.EvaluationContext;
import org.synthloom.api.train.EvaluationResult;
import org.synthloom.api.train.Evaluator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The {@code ${pluginName}} evaluator: for each batch of captioned samples of a split, the share of
 * images whose most similar text in the batch is their own caption ({@code pair_accuracy}; chance
 * is one over the batch size), and the number of samples ({@code pair_samples}). Runs on models
 * that output {@code image_embeds} and {@code text_embeds}.
 */
@Component(service = Evaluator.class, configurationPid = ${className}.PID)
@SynthloomPlugin(kind = Evaluator.KIND, name = ${className}.NAME)
@Designate(ocd = ${className}Config.class)
public class ${className} implements Evaluator {

    /** The plugin's {@code synthloom.name}. */
    public static final String NAME = "${pluginName}";
    /** The configuration PID. */
    public static final String PID = "${package}.${pluginName}";

    private final String split;
    private final int batchSize;
    private final int limit;

    /**
     * @param config the configuration
     * @throws IllegalArgumentException if a value is out of range
     */
    @Activate
    public ${className}(${className}Config config) {
        if (config.split() == null || config.split().isBlank()) {
            throw new IllegalArgumentException(PID + ": split must name a split, got '" + config.split() + "'");
        }
        if (config.batch_size() < 2 || config.batch_size() > 4096) {
            throw new IllegalArgumentException(PID + ": batch.size must be in [2, 4096], got " + config.batch_size());
        }
        if (config.limit() < 1) {
            throw new IllegalArgumentException(PID + ": limit must be at least 1, got " + config.limit());
        }
        this.split = config.split();
        this.batchSize = config.batch_size();
        this.limit = config.limit();
    }

    @Override
    public Set<String> requires() {
        return Set.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS);
    }

    @Override
    public EvaluationResult evaluate(EvaluationContext context) throws IOException {
        long hits = 0;
        int count = 0;
        List<Sample> batch = new ArrayList<>();
        try (SampleSource source = context.open(split)) {
            for (Optional<Sample> s = source.next(); s.isPresent() && count + batch.size() < limit; s = source.next()) {
                if (s.get().captions().isEmpty()) {
                    continue;
                }
                batch.add(s.get());
                if (batch.size() == batchSize) {
                    hits += hits(context, batch);
                    count += batch.size();
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            hits += hits(context, batch);
            count += batch.size();
        }
        if (count == 0) {
            throw new IOException(NAME + ": split '" + split + "' has no captioned sample to evaluate");
        }
        return new EvaluationResult(Map.of("pair_accuracy", hits / (double) count, "pair_samples", (double) count), Map.of());
    }

    /** Images of the batch whose most similar text is their own; tensors freed with the batch. */
    private static long hits(EvaluationContext context, List<Sample> batch) {
        try (NDManager scope = context.manager().newSubManager()) {
            NDList inputs = context.toBatch(batch);
            inputs.attach(scope);
            NDList outputs = context.forward(inputs);
            outputs.attach(scope);
            NDArray images = outputs.get(Fields.IMAGE_EMBEDS);
            NDArray texts = outputs.get(Fields.TEXT_EMBEDS);
            if (images == null || texts == null) {
                throw new IllegalArgumentException(NAME + " needs the model outputs image_embeds and text_embeds");
            }
            NDArray best = images.matMul(texts.transpose()).argMax(1).toType(DataType.INT64, false);
            NDArray own = scope.arange(0, batch.size(), 1, DataType.INT64);
            return best.eq(own).sum().toType(DataType.INT64, false).getLong();
        }
    }
}
