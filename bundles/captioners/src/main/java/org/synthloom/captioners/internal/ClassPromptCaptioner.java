package org.synthloom.captioners.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;

/**
 * Synth2's class-based prompting, without a language model: captions sampled from a weighted
 * grammar of templates and slot vocabularies ({@link Grammar}) at a temperature, the concept's
 * attributes filling the slots they name, and repeats within a concept redrawn up to a bound.
 * Each concept draws from its own random stream, derived from the request's seed and the
 * concept's position, so the same request gives the same captions.
 */
@Component(service = CaptionGenerator.class, configurationPid = ClassPromptCaptioner.PID)
@SynthloomPlugin(kind = CaptionGenerator.KIND, name = ClassPromptCaptioner.NAME)
@Designate(ocd = ClassPromptConfig.class)
public class ClassPromptCaptioner implements CaptionGenerator {

    static final String PID = "org.synthloom.captioners.classprompt";
    static final String NAME = "class-prompt";
    private static final Logger LOG = LoggerFactory.getLogger(ClassPromptCaptioner.class);

    private final String version;
    private final Path home;
    private volatile Settings settings;

    /** The parsed configuration: replaced as a whole when the configuration changes. */
    private record Settings(Grammar grammar, double temperature, boolean deduplicate, int attempts) {}

    /**
     * @param context the bundle's context (version, Synthloom home)
     * @param config the configuration
     */
    @Activate
    public ClassPromptCaptioner(BundleContext context, ClassPromptConfig config) {
        this(context.getBundle().getVersion().toString(), Home.of(context), config);
    }

    ClassPromptCaptioner(String version, Path home, ClassPromptConfig config) {
        this.version = version;
        this.home = home;
        this.settings = settings(config);
    }

    @Modified
    void modified(ClassPromptConfig config) {
        this.settings = settings(config);
    }

    private Settings settings(ClassPromptConfig config) {
        double temperature = config.temperature();
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(PID + ": temperature must be a number >= 0, not " + temperature);
        }
        if (config.dedup_attempts() < 0) {
            throw new IllegalArgumentException(PID + ": dedup.attempts must be >= 0, not " + config.dedup_attempts());
        }
        Path file = config.grammar_file().isBlank() ? null : Home.resolve(home, config.grammar_file());
        Grammar grammar;
        try {
            grammar = Grammar.build(config.templates(), config.slots(), file);
        } catch (IllegalArgumentException e) {
            // the message names the property entry or the grammar file's line
            throw new IllegalArgumentException(PID + ": " + e.getMessage(), e);
        }
        return new Settings(grammar, temperature, config.deduplicate(), config.dedup_attempts());
    }

    @Override
    public List<GeneratedCaption> generate(CaptionRequest request) {
        Settings s = settings;
        List<GeneratedCaption> out = new ArrayList<>(request.concepts().size() * request.captionsPerConcept());
        for (int c = 0; c < request.concepts().size(); c++) {
            Concept concept = request.concepts().get(c);
            SplittableRandom random = new SplittableRandom(Seeds.mix(request.seed(), c));
            int[] eligible = s.grammar().templatesFor(concept);
            Set<String> seen = new HashSet<>();
            int repeats = 0;
            for (int i = 0; i < request.captionsPerConcept(); i++) {
                String text = s.grammar().draw(concept, eligible, s.temperature(), random);
                for (int attempt = 0; s.deduplicate() && seen.contains(text) && attempt < s.attempts(); attempt++) {
                    text = s.grammar().draw(concept, eligible, s.temperature(), random);
                }
                if (!seen.add(text)) {
                    repeats++;
                }
                out.add(new GeneratedCaption(concept, new Caption(text, Provenance.synthetic(NAME, version, request.seed()))));
            }
            if (repeats > 0 && s.deduplicate()) {
                LOG.warn("{}: {} of {} captions for '{}' repeat an earlier one after {} redraws each: the grammar offers too"
                        + " few combinations at temperature {}; duplicates allowed", NAME, repeats,
                        request.captionsPerConcept(), concept.name(), s.attempts(), s.temperature());
            }
        }
        return out;
    }
}
