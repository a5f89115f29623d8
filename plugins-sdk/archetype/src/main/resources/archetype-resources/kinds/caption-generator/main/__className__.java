package ${package};

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;

/**
 * The {@code ${pluginName}} caption generator: each caption is a configured phrase followed by
 * the concept, the phrase drawn from a random generator seeded by the request's seed and the
 * concept's position, so that the answer is reproducible.
 */
@Component(service = CaptionGenerator.class, configurationPid = ${className}.PID)
@SynthloomPlugin(kind = CaptionGenerator.KIND, name = ${className}.NAME)
@Designate(ocd = ${className}Config.class)
public class ${className} implements CaptionGenerator {

    /** The plugin's {@code synthloom.name}. */
    public static final String NAME = "${pluginName}";
    /** The configuration PID. */
    public static final String PID = "${package}.${pluginName}";

    private final String version;
    private final List<String> phrases;

    /**
     * @param context the bundle's context, for its version (recorded in every caption's provenance)
     * @param config the configuration
     */
    @Activate
    public ${className}(BundleContext context, ${className}Config config) {
        this(context.getBundle().getVersion().toString(), config);
    }

    /**
     * @param version the version recorded in provenance
     * @param config the configuration
     * @throws IllegalArgumentException if there is no phrase
     */
    public ${className}(String version, ${className}Config config) {
        this.version = version;
        this.phrases = List.of(config.phrases());
        if (phrases.isEmpty() || phrases.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(PID + ": phrases must be a non-empty list of non-blank phrases, got " + phrases);
        }
    }

    @Override
    public List<GeneratedCaption> generate(CaptionRequest request) {
        List<GeneratedCaption> out = new ArrayList<>();
        for (int c = 0; c < request.concepts().size(); c++) {
            Concept concept = request.concepts().get(c);
            long seed = request.seed() * 1_000_003L + c;
            SplittableRandom random = new SplittableRandom(seed);
            Provenance provenance = Provenance.synthetic(NAME, version, seed);
            for (int i = 0; i < request.captionsPerConcept(); i++) {
                String phrase = phrases.get(random.nextInt(phrases.size()));
                out.add(new GeneratedCaption(concept, new Caption(phrase + " " + concept.name(), provenance)));
            }
        }
        return out;
    }
}
