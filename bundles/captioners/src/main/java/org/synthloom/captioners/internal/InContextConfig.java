package org.synthloom.captioners.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "In-context caption generator",
        description = "SynCLR's word-to-caption synthesis: k demonstrations of one template family (concept, concept + "
                + "background, concept + relation) per caption, sent to an OpenAI-compatible server when one is configured, "
                + "else transferred offline by substituting the concept into a demonstration (a stand-in for a language model).")
@interface InContextConfig {

    @AttributeDefinition(name = "Demonstration file", description = "[concept], [background] and [relation] sections of "
            + "'concept => caption' / 'concept, background => caption' / 'concept, relation => caption' lines; absolute or "
            + "relative to the Synthloom home. Empty: the 60 demonstrations shipped in the bundle.")
    String demonstrations_file() default "";

    @AttributeDefinition(name = "Demonstrations per prompt (k)", description = "Demonstrations sampled, seeded, for each "
            + "caption (all of the family when it has fewer).")
    int demonstrations_k() default 3;

    @AttributeDefinition(name = "Backgrounds", description = "Backgrounds for the background family, drawn for a concept "
            + "that has no 'background' attribute.")
    String[] backgrounds() default {"kitchen counter", "park bench", "city street", "sandy beach", "snowy field",
        "living room", "forest trail", "office desk", "grassy hill", "wooden table", "garden", "harbour"};

    @AttributeDefinition(name = "Relations", description = "Relations for the relation family, drawn for a concept that "
            + "has no 'relation' attribute; a request's demonstration 'c, x => caption' is of the relation family when x "
            + "is one of these.")
    String[] relations() default {"next to", "beside", "on top of", "under", "above", "in front of", "behind", "near",
        "between", "inside", "against", "over", "among", "beneath", "outside", "across", "along", "on"};

    @AttributeDefinition(name = "Prompt header", description = "The instruction above the demonstrations (server mode).")
    String prompt_header() default "Write a caption of a photo for the concept on the last line, in the style of the"
            + " examples: one sentence, a realistic scene. Answer with the caption only.";

    @AttributeDefinition(name = "De-duplicate", description = "Redraw a caption that repeats an earlier one of the same "
            + "concept.")
    boolean deduplicate() default true;

    @AttributeDefinition(name = "De-duplication attempts", description = "Redraws per caption (each a request in server "
            + "mode) before a repeat is allowed and reported in the log.")
    int dedup_attempts() default 10;

    @AttributeDefinition(name = "Base URL", description = "An OpenAI-compatible server, e.g. http://localhost:8080/v1. "
            + "Empty: offline transfer.")
    String base_url() default "";

    @AttributeDefinition(name = "Model", description = "The model name sent with each request; empty sends none.")
    String model() default "";

    @AttributeDefinition(name = "API key", description = "Bearer token, if the server wants one. Never logged.",
            type = AttributeType.PASSWORD)
    String api_key() default "";

    @AttributeDefinition(name = "Temperature", description = "Sampling temperature sent to the server (0 to 2).")
    double temperature() default 0.8;

    @AttributeDefinition(name = "Max tokens", description = "Token limit of one answer (one caption).")
    int max_tokens() default 96;

    @AttributeDefinition(name = "Concurrent requests", description = "Requests in flight at once.")
    int batch_size() default 4;

    @AttributeDefinition(name = "Timeout (s)", description = "How long one request may take before it is retried.")
    int timeout_seconds() default 60;

    @AttributeDefinition(name = "Retries", description = "Further attempts after a 429, a 5xx, a time-out or a connection "
            + "error, with exponential back-off and jitter; a Retry-After header sets the delay.")
    int retries() default 4;

    @AttributeDefinition(name = "Retry back-off (ms)", description = "Delay before the first retry; doubled each retry.")
    long retry_backoff_millis() default 1000;

    @AttributeDefinition(name = "Top-up rounds", description = "Further requests (new seed) when an answer holds no "
            + "caption, before generate fails.")
    int topup_rounds() default 3;

    @AttributeDefinition(name = "Cache directory", description = "Answers cached by the hash of model, messages, "
            + "temperature and seed; absolute or relative to the data directory (<Synthloom home>/data). Empty: no cache.")
    String cache_directory() default "cache/openai";
}
