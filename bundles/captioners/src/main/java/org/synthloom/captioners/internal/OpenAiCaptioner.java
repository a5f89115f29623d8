package org.synthloom.captioners.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

/**
 * Synth2's class-based prompting through an OpenAI-compatible chat-completions server: per
 * concept, a prompt asking for a numbered list of captions, split into requests of at most
 * {@code captions.per.request} and sent {@code batch.size} at a time; the list items become the
 * captions, and a concept whose answers held too few gets further requests. Each request carries a
 * seed derived from the request's seed, the concept's position, the round and the chunk, and its
 * answer is cached on disk under the hash of model, messages, temperature and seed, so a repeated
 * request gives the same captions even from a server that does not honour seeds.
 */
@Component(service = CaptionGenerator.class, configurationPid = OpenAiCaptioner.PID)
@SynthloomPlugin(kind = CaptionGenerator.KIND, name = OpenAiCaptioner.NAME)
@Designate(ocd = OpenAiConfig.class)
public class OpenAiCaptioner implements CaptionGenerator {

    static final String PID = "org.synthloom.captioners.openai";
    static final String NAME = "openai";
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiCaptioner.class);

    private final String version;
    private final Path home;
    private volatile Settings settings;

    /** The validated configuration and its client. */
    private record Settings(ChatClient client, String systemPrompt, String prompt, int perRequest, int topupRounds) {}

    /**
     * @param context the bundle's context (version, Synthloom home)
     * @param config the configuration
     */
    @Activate
    public OpenAiCaptioner(BundleContext context, OpenAiConfig config) {
        this(context.getBundle().getVersion().toString(), Home.of(context), config);
    }

    OpenAiCaptioner(String version, Path home, OpenAiConfig config) {
        this.version = version;
        this.home = home;
        this.settings = settings(config);
    }

    @Modified
    void modified(OpenAiConfig config) {
        this.settings = settings(config);
    }

    private Settings settings(OpenAiConfig config) {
        ChatSettings chat = ChatSettings.of(PID, config.base_url(), config.model(), config.api_key(), config.temperature(),
                config.max_tokens(), config.batch_size(), config.timeout_seconds(), config.retries(),
                config.retry_backoff_millis(), config.cache_directory(), home.resolve("data"));
        ChatSettings.require(PID, "captions.per.request", config.captions_per_request(), config.captions_per_request() > 0,
                "positive");
        ChatSettings.require(PID, "topup.rounds", config.topup_rounds(), config.topup_rounds() >= 0, "0 or more");
        if (!config.prompt().contains("{concept}")) {
            throw new IllegalArgumentException(PID + ": prompt must contain {concept}: '" + config.prompt() + "'");
        }
        if (chat.configured()) {
            LOG.info("{}: {}", NAME, chat);
        }
        return new Settings(new ChatClient(chat, NAME), config.system_prompt(), config.prompt(),
                config.captions_per_request(), config.topup_rounds());
    }

    /** One request: {@code count} captions for concept {@code concept}. */
    private record Chunk(int concept, int round, int index, int count) {}

    @Override
    public List<GeneratedCaption> generate(CaptionRequest request) throws GenerationException {
        Settings s = settings;
        ChatSettings chat = s.client().settings();
        if (!chat.configured()) {
            throw new GenerationException(NAME + ": base.url is not configured (PID " + PID + "); set it to an"
                    + " OpenAI-compatible server such as http://localhost:8080/v1");
        }
        int concepts = request.concepts().size();
        int wanted = request.captionsPerConcept();
        List<List<String>> captions = new ArrayList<>();
        int[] requests = new int[concepts];
        for (int c = 0; c < concepts; c++) {
            captions.add(new ArrayList<>());
        }
        for (int round = 0; round <= s.topupRounds(); round++) {
            List<Chunk> chunks = new ArrayList<>();
            for (int c = 0; c < concepts; c++) {
                int missing = wanted - captions.get(c).size();
                for (int index = 0; missing > 0; index++) {
                    int count = Math.min(missing, s.perRequest());
                    chunks.add(new Chunk(c, round, index, count));
                    missing -= count;
                }
            }
            if (chunks.isEmpty()) {
                break;
            }
            if (round > 0) {
                LOG.info("{}: topping up {} concept(s) short of {} captions (round {})", NAME,
                        chunks.stream().mapToInt(Chunk::concept).distinct().count(), wanted, round);
            }
            List<Parallel.Task<List<String>>> tasks = new ArrayList<>();
            for (Chunk chunk : chunks) {
                tasks.add(() -> ask(s, request, chunk));
            }
            List<List<String>> answers = Parallel.run(chat.concurrency(), tasks, NAME);
            for (int i = 0; i < chunks.size(); i++) {
                Chunk chunk = chunks.get(i);
                List<String> got = answers.get(i);
                requests[chunk.concept()]++;
                captions.get(chunk.concept()).addAll(got.subList(0, Math.min(got.size(), chunk.count())));
            }
        }
        List<GeneratedCaption> out = new ArrayList<>(concepts * wanted);
        for (int c = 0; c < concepts; c++) {
            Concept concept = request.concepts().get(c);
            List<String> texts = captions.get(c);
            if (texts.size() < wanted) {
                throw new GenerationException(NAME + ": the model at " + chat.baseUrl() + " gave " + texts.size() + " of "
                        + wanted + " captions for '" + concept.name() + "' in " + requests[c] + " requests (the first"
                        + " asked for up to " + s.perRequest() + "); check the prompt, or raise max.tokens or topup.rounds");
            }
            for (String text : texts.subList(0, wanted)) {
                out.add(new GeneratedCaption(concept, new Caption(text, Provenance.synthetic(NAME, version, request.seed()))));
            }
        }
        return out;
    }

    private static List<String> ask(Settings s, CaptionRequest request, Chunk chunk) throws GenerationException {
        Concept concept = request.concepts().get(chunk.concept());
        List<ChatClient.Message> messages = new ArrayList<>();
        if (!s.systemPrompt().isBlank()) {
            messages.add(new ChatClient.Message("system", s.systemPrompt()));
        }
        messages.add(new ChatClient.Message("user", prompt(s.prompt(), concept, chunk.count(), request.demonstrations())));
        // Servers take a 32-bit seed (llama.cpp: unsigned); keep it non-negative.
        long seed = Seeds.mix(request.seed(), chunk.concept(), chunk.round(), chunk.index()) & 0x7fffffffL;
        ChatClient.Answer answer = s.client().complete(messages, seed);
        return ListParser.parse(answer.content(), answer.truncated());
    }

    /**
     * Fills the prompt template.
     *
     * @param template the {@code prompt} property
     * @param concept the concept
     * @param count the number of captions asked for
     * @param demonstrations example captions, possibly none
     * @return the user message
     */
    static String prompt(String template, Concept concept, int count, List<String> demonstrations) {
        StringBuilder examples = new StringBuilder();
        if (!demonstrations.isEmpty()) {
            examples.append("\nExamples of the style wanted:");
            demonstrations.forEach(d -> examples.append("\n- ").append(d.strip()));
        }
        return template.replace("{concept}", concept.name()).replace("{count}", Integer.toString(count))
                .replace("{demonstrations}", examples);
    }
}
