package org.synthloom.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunEvent;
import org.synthloom.store.MetricPoint;
import org.synthloom.store.RunRecord;
import org.synthloom.store.RunStore;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Runs: the run store's record of every run, joined with the live runs of this framework, which
 * can be paused, resumed and stopped.
 */
final class RunsApi {

    private final RunStore store;
    private final DataPaths paths;
    private final Supplier<List<Run>> liveRuns;

    RunsApi(RunStore store, DataPaths paths, Supplier<List<Run>> liveRuns) {
        this.store = store;
        this.paths = paths;
        this.liveRuns = liveRuns;
    }

    private Map<String, Run> live() {
        Map<String, Run> runs = new HashMap<>();
        for (Run r : liveRuns.get()) {
            runs.put(r.id(), r);
        }
        return runs;
    }

    private RunRecord record(ApiRequest request) {
        String id = DataPaths.name(request.param("id"), "run id");
        return store.run(id).orElseThrow(() -> ApiException.notFound("no run with id " + id));
    }

    ApiResponse list(ApiRequest request) {
        Map<String, Run> live = live();
        JsonArray runs = new JsonArray();
        for (RunRecord r : store.runs()) {
            runs.add(summary(r, live.get(r.id())));
        }
        JsonObject body = new JsonObject();
        body.add("runs", runs);
        return ApiResponse.ok(body);
    }

    private JsonObject summary(RunRecord r, Run live) {
        JsonObject json = new JsonObject();
        json.addProperty("id", r.id());
        json.addProperty("pipeline", r.pipeline());
        json.addProperty("state", live != null ? live.state().name() : r.state().name());
        json.addProperty("live", live != null && !live.state().isTerminal());
        json.addProperty("created", r.created().toEpochMilli());
        json.addProperty("updated", r.updated().toEpochMilli());
        json.addProperty("summary", r.summary());
        return json;
    }

    ApiResponse get(ApiRequest request) {
        RunRecord r = record(request);
        JsonObject json = summary(r, live().get(r.id()));
        List<RunEvent> events = store.events(r.id());
        Map<String, RunEvent> progress = new LinkedHashMap<>();
        JsonArray log = new JsonArray();
        for (RunEvent e : events) {
            if (e.type() == RunEvent.Type.PROGRESS) {
                progress.put(e.message(), e);
            } else if (e.type() != RunEvent.Type.METRIC) {
                log.add(event(e));
            }
        }
        JsonArray stages = new JsonArray();
        progress.values().forEach(e -> stages.add(event(e)));
        json.add("progress", stages);
        json.add("log", log);
        json.addProperty("events", events.size());
        JsonObject latest = new JsonObject();
        store.latestMetrics(r.id()).forEach(latest::addProperty);
        json.add("latestMetrics", latest);
        json.add("configuration", parse(r.configuration()));
        json.addProperty("configurationHash", r.configurationHash());
        Path results = paths.resolve("runs", r.id(), "results.json");
        json.addProperty("hasResults", Files.isRegularFile(results));
        return ApiResponse.ok(json);
    }

    ApiResponse events(ApiRequest request) {
        RunRecord r = record(request);
        int after = request.queryInt("after", -1, -1, Integer.MAX_VALUE);
        String type = request.query("type", "");
        JsonArray out = new JsonArray();
        for (RunEvent e : store.events(r.id())) {
            if (e.sequence() > after && (type.isEmpty() || e.type().name().equalsIgnoreCase(type))) {
                out.add(event(e));
            }
        }
        JsonObject body = new JsonObject();
        body.add("events", out);
        return ApiResponse.ok(body);
    }

    ApiResponse metrics(ApiRequest request) {
        RunRecord r = record(request);
        return ApiResponse.ok(series(r.id()));
    }

    private JsonObject series(String runId) {
        JsonObject metrics = new JsonObject();
        for (String name : store.latestMetrics(runId).keySet()) {
            JsonArray points = new JsonArray();
            for (MetricPoint p : store.metric(runId, name)) {
                JsonArray point = new JsonArray();
                point.add(p.step());
                point.add(p.value());
                points.add(point);
            }
            metrics.add(name, points);
        }
        JsonObject body = new JsonObject();
        body.addProperty("run", runId);
        body.add("metrics", metrics);
        return body;
    }

    ApiResponse compare(ApiRequest request) {
        String ids = request.query("ids", "");
        List<String> list = new ArrayList<>();
        for (String id : ids.split(",")) {
            if (!id.isBlank()) {
                list.add(DataPaths.name(id.trim(), "run id"));
            }
        }
        if (list.size() < 2 || list.size() > 8) {
            throw ApiException.badRequest("compare needs 2 to 8 run ids as ?ids=a,b; got " + list.size());
        }
        JsonArray runs = new JsonArray();
        Map<String, Run> live = live();
        for (String id : list) {
            RunRecord r = store.run(id).orElseThrow(() -> ApiException.notFound("no run with id " + id));
            JsonObject json = summary(r, live.get(id));
            JsonObject latest = new JsonObject();
            store.latestMetrics(id).forEach(latest::addProperty);
            json.add("latestMetrics", latest);
            json.add("configuration", parse(r.configuration()));
            json.add("series", series(id).getAsJsonObject("metrics"));
            runs.add(json);
        }
        JsonObject body = new JsonObject();
        body.add("runs", runs);
        return ApiResponse.ok(body);
    }

    /** Applies a control to a live run that has not ended, and says what it did. */
    private ApiResponse control(ApiRequest request, java.util.function.Consumer<Run> action, String message) {
        RunRecord r = record(request);
        Run run = live().get(r.id());
        if (run == null) {
            throw ApiException.conflict("run " + r.id() + " is not working in this runtime (state " + r.state()
                    + "); start its pipeline to resume it");
        }
        if (run.state().isTerminal()) {
            throw ApiException.conflict("run " + run.id() + " has ended (" + run.state() + "); start its pipeline to resume it");
        }
        action.accept(run);
        JsonObject body = new JsonObject();
        body.addProperty("id", run.id());
        body.addProperty("state", run.state().name());
        body.addProperty("message", message);
        return ApiResponse.json(202, body);
    }

    ApiResponse pause(ApiRequest request) {
        return control(request, Run::pause, "pause requested: the run pauses at its next batch boundary");
    }

    ApiResponse resume(ApiRequest request) {
        return control(request, Run::resume, "resumed");
    }

    ApiResponse stop(ApiRequest request) {
        return control(request, Run::cancel, "stop requested: the run stops at its next batch boundary, keeping completed work");
    }

    ApiResponse config(ApiRequest request) {
        RunRecord r = record(request);
        return ApiResponse.bytes("application/json; charset=utf-8",
                r.configuration().getBytes(java.nio.charset.StandardCharsets.UTF_8)).attachment(r.id() + "-pipeline.json");
    }

    ApiResponse results(ApiRequest request) throws IOException {
        RunRecord r = record(request);
        Path results = paths.resolve("runs", r.id(), "results.json");
        if (!Files.isRegularFile(results)) {
            throw ApiException.notFound("run " + r.id() + " has no results yet (state " + r.state() + ")");
        }
        return ApiResponse.bytes("application/json; charset=utf-8", Files.readAllBytes(results))
                .attachment(r.id() + "-results.json");
    }

    static JsonObject event(RunEvent e) {
        JsonObject json = new JsonObject();
        json.addProperty("run", e.runId());
        json.addProperty("sequence", e.sequence());
        json.addProperty("type", e.type().name());
        json.addProperty("time", e.time().toEpochMilli());
        json.addProperty("step", e.step());
        json.addProperty("totalSteps", e.totalSteps());
        e.eta().ifPresent(eta -> json.addProperty("etaMillis", eta.toMillis()));
        json.addProperty("message", e.message());
        json.addProperty("component", e.component());
        if (!e.metrics().isEmpty()) {
            JsonObject m = new JsonObject();
            e.metrics().forEach(m::addProperty);
            json.add("metrics", m);
        }
        return json;
    }

    private static JsonElement parse(String json) {
        try {
            return JsonParser.parseString(json);
        } catch (JsonParseException e) {
            return new com.google.gson.JsonPrimitive(json);
        }
    }
}
