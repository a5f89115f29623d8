package org.synthloom.captioners.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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
import org.synthloom.api.generate.GenerationException;
import org.synthloom.captioners.internal.Demonstrations.Demonstration;

/**
 * SynCLR's word-to-caption synthesis. For each caption: a template family (concept, concept +
 * background, concept + relation) and k of its demonstrations are drawn from the caption's own
 * seed; the background or relation is the concept's attribute of that name, else drawn from the
 * configured list. With a server configured, the prompt (instruction, the k demonstrations
 * {@code input => caption}, then {@code input =>} for the concept) goes to it and its first line is
 * the caption. Without one, the first drawn demonstration is transferred offline ({@link Transfer}):
 * a stand-in for a language model, not one.
 */
@Component(service = CaptionGenerator.class, configurationPid = InContextCaptioner.PID)
@SynthloomPlugin(kind = CaptionGenerator.KIND, name = InContextCaptioner.NAME)
@Designate(ocd = InContextConfig.class)
public class InContextCaptioner implements CaptionGenerator {

    static final String PID = "org.synthloom.captioners.incontext";
    static final String NAME = "in-context";
    static final String DEFAULT_FILE = "demonstrations.txt";
    private static final Logger LOG = LoggerFactory.getLogger(InContextCaptioner.class);

    private final String version;
    private final Path home;
    private volatile Settings settings;

    /** The validated configuration. */
    private record Settings(Demonstrations demonstrations, int k, List<String> backgrounds, List<String> relations,
            String header, boolean deduplicate, int attempts, int topupRounds, ChatClient client) {}

    /**
     * What one caption is made from.
     *
     * @param family the template family
     * @param extra the background or relation, or null
     * @param shown the k demonstrations, in prompt order
     * @param text the prompt
     */
    record Prompt(String family, String extra, List<Demonstration> shown, String text) {}

    /**
     * @param context the bundle's context (version, Synthloom home)
     * @param config the configuration
     */
    @Activate
    public InContextCaptioner(BundleContext context, InContextConfig config) {
        this(context.getBundle().getVersion().toString(), Home.of(context), config);
    }

    InContextCaptioner(String version, Path home, InContextConfig config) {
        this.version = version;
        this.home = home;
        this.settings = settings(config);
    }

    @Modified
    void modified(InContextConfig config) {
        this.settings = settings(config);
    }

    private Settings settings(InContextConfig config) {
        ChatSettings.require(PID, "demonstrations.k", config.demonstrations_k(), config.demonstrations_k() > 0, "positive");
        ChatSettings.require(PID, "dedup.attempts", config.dedup_attempts(), config.dedup_attempts() >= 0, "0 or more");
        ChatSettings.require(PID, "topup.rounds", config.topup_rounds(), config.topup_rounds() >= 0, "0 or more");
        List<String> backgrounds = clean(config.backgrounds());
        List<String> relations = clean(config.relations());
        if (backgrounds.isEmpty() || relations.isEmpty()) {
            throw new IllegalArgumentException(PID + ": " + (backgrounds.isEmpty() ? "backgrounds" : "relations")
                    + " is empty; give at least one");
        }
        Demonstrations demonstrations;
        String file = config.demonstrations_file().strip();
        try {
            if (file.isEmpty()) {
                try (InputStream in = InContextCaptioner.class.getResourceAsStream(DEFAULT_FILE)) {
                    demonstrations = Demonstrations.read(in, "the bundled " + DEFAULT_FILE);
                }
            } else {
                Path path = Home.resolve(home, file);
                try (InputStream in = Files.newInputStream(path)) {
                    demonstrations = Demonstrations.read(in, "demonstrations.file " + path);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(PID + ": demonstrations.file '" + file + "' cannot be read: " + e, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": " + e.getMessage(), e);
        }
        ChatSettings chat = ChatSettings.of(PID, config.base_url(), config.model(), config.api_key(), config.temperature(),
                config.max_tokens(), config.batch_size(), config.timeout_seconds(), config.retries(),
                config.retry_backoff_millis(), config.cache_directory(), home.resolve("data"));
        LOG.info("{}: {} demonstrations in families {}; {}", NAME, demonstrations.all().size(), demonstrations.families(),
                chat.configured() ? chat : "offline transfer (no base.url)");
        return new Settings(demonstrations, config.demonstrations_k(), backgrounds, relations, config.prompt_header(),
                config.deduplicate(), config.dedup_attempts(), config.topup_rounds(), new ChatClient(chat, NAME));
    }

    private static List<String> clean(String[] values) {
        return java.util.Arrays.stream(values).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    @Override
    public List<GeneratedCaption> generate(CaptionRequest request) throws GenerationException {
        Settings s = settings;
        Demonstrations demonstrations;
        try {
            demonstrations = request.demonstrations().isEmpty() ? s.demonstrations()
                    : Demonstrations.of(request.demonstrations(), s.relations().stream()
                            .map(r -> r.toLowerCase(Locale.ROOT)).toList());
        } catch (IllegalArgumentException e) {
            throw new GenerationException(NAME + ": " + e.getMessage(), e);
        }
        int per = request.captionsPerConcept();
        List<Parallel.Task<String>> tasks = new ArrayList<>();
        for (int c = 0; c < request.concepts().size(); c++) {
            for (int i = 0; i < per; i++) {
                int concept = c;
                int index = i;
                tasks.add(() -> caption(s, demonstrations, request, concept, index, 0));
            }
        }
        boolean server = s.client().settings().configured();
        List<String> texts = Parallel.run(server ? s.client().settings().concurrency() : 1, tasks, NAME);
        List<GeneratedCaption> out = new ArrayList<>(texts.size());
        for (int c = 0; c < request.concepts().size(); c++) {
            Concept concept = request.concepts().get(c);
            Set<String> seen = new HashSet<>();
            int repeats = 0;
            for (int i = 0; i < per; i++) {
                String text = texts.get(c * per + i);
                for (int attempt = 1; s.deduplicate() && seen.contains(text) && attempt <= s.attempts(); attempt++) {
                    text = caption(s, demonstrations, request, c, i, attempt);
                }
                if (!seen.add(text)) {
                    repeats++;
                }
                out.add(new GeneratedCaption(concept, new Caption(text, Provenance.synthetic(NAME, version, request.seed()))));
            }
            if (repeats > 0 && s.deduplicate()) {
                LOG.warn("{}: {} of {} captions for '{}' repeat an earlier one after {} redraws each; duplicates allowed"
                        + " (more demonstrations, or a server, give more variety)", NAME, repeats, per, concept.name(),
                        s.attempts());
            }
        }
        return out;
    }

    /** One caption: drawn from its own seed (request seed, concept, caption, attempt). */
    private static String caption(Settings s, Demonstrations demonstrations, CaptionRequest request, int c, int i,
            int attempt) throws GenerationException {
        Concept concept = request.concepts().get(c);
        long seed = Seeds.mix(request.seed(), c, i, attempt);
        Prompt prompt = prompt(demonstrations, concept, s.k(), s.backgrounds(), s.relations(), s.header(),
                new SplittableRandom(seed));
        if (!s.client().settings().configured()) {
            return Transfer.apply(prompt.shown().get(0), concept.name(), prompt.extra());
        }
        List<ChatClient.Message> messages = List.of(new ChatClient.Message("user", prompt.text()));
        for (int round = 0; round <= s.topupRounds(); round++) {
            ChatClient.Answer answer = s.client().complete(messages, Seeds.mix(seed, round) & 0x7fffffffL);
            List<String> lines = ListParser.parse(answer.content(), false);
            if (!lines.isEmpty()) {
                String first = lines.get(0);
                int arrow = first.lastIndexOf("=>");
                String text = ListParser.clean(arrow >= 0 ? first.substring(arrow + 2) : first);
                if (!text.isEmpty()) {
                    return text;
                }
            }
        }
        throw new GenerationException(NAME + ": the model at " + s.client().settings().baseUrl() + " gave no caption for '"
                + concept.name() + "' in " + (s.topupRounds() + 1) + " requests; check the prompt header or max.tokens");
    }

    /**
     * Draws the family, the background or relation and the k demonstrations of one caption, and
     * writes its prompt.
     *
     * @param demonstrations the demonstrations to draw from
     * @param concept the concept
     * @param k demonstrations per prompt
     * @param backgrounds backgrounds to draw from when the concept has no {@code background} attribute
     * @param relations relations to draw from when the concept has no {@code relation} attribute
     * @param header the instruction
     * @param random the caption's random stream
     * @return the prompt
     */
    static Prompt prompt(Demonstrations demonstrations, Concept concept, int k, List<String> backgrounds,
            List<String> relations, String header, SplittableRandom random) {
        List<String> families = demonstrations.families();
        String family = families.get(random.nextInt(families.size()));
        String extra = switch (family) {
            case Demonstrations.BACKGROUND -> concept.attributes().getOrDefault(Demonstrations.BACKGROUND,
                    backgrounds.get(random.nextInt(backgrounds.size())));
            case Demonstrations.RELATION -> concept.attributes().getOrDefault(Demonstrations.RELATION,
                    relations.get(random.nextInt(relations.size())));
            default -> null;
        };
        List<Demonstration> pool = new ArrayList<>(demonstrations.of(family));
        int shown = Math.min(k, pool.size());
        // a partial Fisher-Yates shuffle: the first `shown` entries are a uniform sample without replacement
        for (int j = 0; j < shown; j++) {
            int pick = j + random.nextInt(pool.size() - j);
            Demonstration swap = pool.get(j);
            pool.set(j, pool.get(pick));
            pool.set(pick, swap);
        }
        List<Demonstration> chosen = List.copyOf(pool.subList(0, shown));
        StringBuilder text = new StringBuilder();
        if (!header.isBlank()) {
            text.append(header.strip()).append("\n\n");
        }
        chosen.forEach(d -> text.append(d.line()).append('\n'));
        text.append(extra == null ? concept.name() : concept.name() + ", " + extra).append(" =>");
        return new Prompt(family, extra, chosen, text.toString());
    }
}
