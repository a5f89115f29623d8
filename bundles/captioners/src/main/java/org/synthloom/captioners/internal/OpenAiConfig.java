package org.synthloom.captioners.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "OpenAI-compatible caption generator",
        description = "Synth2's class-based prompting through any OpenAI-compatible chat-completions server (llama.cpp "
                + "server, vLLM, Ollama): a list of captions per concept, retried, cached on disk, topped up when short.")
@interface OpenAiConfig {

    @AttributeDefinition(name = "Base URL", description = "The API base, e.g. http://localhost:8080/v1 (llama.cpp), "
            + "http://localhost:11434/v1 (Ollama), http://localhost:8000/v1 (vLLM); requests go to <base>/chat/completions. "
            + "Empty: not configured (generate fails saying so).")
    String base_url() default "";

    @AttributeDefinition(name = "Model", description = "The model name sent with each request; empty sends none "
            + "(llama.cpp serves the model it loaded).")
    String model() default "";

    @AttributeDefinition(name = "API key", description = "Bearer token, if the server wants one. Never logged.",
            type = AttributeType.PASSWORD)
    String api_key() default "";

    @AttributeDefinition(name = "System prompt", description = "The system message; empty sends none.")
    String system_prompt() default "You write short, varied, literal captions of photographs for an image-text training set.";

    @AttributeDefinition(name = "Prompt", description = "The user message per concept and request. {concept} is the "
            + "concept, {count} the number of captions asked for, {demonstrations} the request's example captions (a "
            + "line 'Examples of the style wanted:' and one '- caption' line each) or nothing.")
    String prompt() default "Write {count} different captions for photos of {concept}. Each caption is one short sentence"
            + " describing a realistic scene with {concept} in it; vary the setting, the background and the other objects."
            + "{demonstrations}\nAnswer with a numbered list, one caption per line, and nothing else.";

    @AttributeDefinition(name = "Temperature", description = "Sampling temperature sent to the server (0 to 2).")
    double temperature() default 0.8;

    @AttributeDefinition(name = "Max tokens", description = "Token limit of one answer.")
    int max_tokens() default 1024;

    @AttributeDefinition(name = "Captions per request", description = "Most captions asked for in one request; a concept "
            + "needing more is split into several requests.")
    int captions_per_request() default 20;

    @AttributeDefinition(name = "Concurrent requests", description = "Requests in flight at once.")
    int batch_size() default 4;

    @AttributeDefinition(name = "Timeout (s)", description = "How long one request may take before it is retried.")
    int timeout_seconds() default 120;

    @AttributeDefinition(name = "Retries", description = "Further attempts after a 429, a 5xx, a time-out or a connection "
            + "error, with exponential back-off and jitter; a Retry-After header sets the delay.")
    int retries() default 4;

    @AttributeDefinition(name = "Retry back-off (ms)", description = "Delay before the first retry; doubled each retry.")
    long retry_backoff_millis() default 1000;

    @AttributeDefinition(name = "Top-up rounds", description = "Further requests for a concept whose answers held fewer "
            + "captions than asked for, before generate fails.")
    int topup_rounds() default 3;

    @AttributeDefinition(name = "Cache directory", description = "Answers cached by the hash of model, messages, "
            + "temperature and seed; absolute or relative to the data directory (<Synthloom home>/data). Empty: no cache.")
    String cache_directory() default "cache/openai";
}
