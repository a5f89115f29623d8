package org.synthloom.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.h2.jdbcx.JdbcConnectionPool;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunListener;
import org.synthloom.api.run.RunState;
import org.synthloom.store.MetricPoint;
import org.synthloom.store.RunRecord;
import org.synthloom.store.RunStore;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;

/**
 * The run store on an embedded H2 database in {@code <data dir>/store}. Each write commits and
 * reaches the disk at once, so that a killed process keeps every event it reported.
 */
@Component(service = {RunStore.class, RunListener.class}, configurationPid = H2RunStore.PID)
@Designate(ocd = RunStoreConfig.class)
public class H2RunStore implements RunStore, RunListener, AutoCloseable {

    static final String PID = "org.synthloom.store";

    private static final Logger LOG = LoggerFactory.getLogger(H2RunStore.class);
    private static final Gson GSON = new Gson();
    private static final java.lang.reflect.Type METRICS = new TypeToken<Map<String, Double>>() {}.getType();

    private final Path dataDirectory;
    private final JdbcConnectionPool pool;

    /** Framework property naming the Synthloom home, against which relative paths resolve. */
    static final String HOME = "synthloom.home";

    @Activate
    public H2RunStore(BundleContext context, RunStoreConfig config) {
        this(home(context).resolve(config.data_dir()));
    }

    private static Path home(BundleContext context) {
        String home = context.getProperty(HOME);
        return Path.of(home == null || home.isBlank() ? "." : home);
    }

    /**
     * Opens (creating if needed) the store of a data directory.
     *
     * @param dataDirectory the data directory
     */
    public H2RunStore(Path dataDirectory) {
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
        Path database = this.dataDirectory.resolve("store").resolve("runs");
        try {
            Files.createDirectories(database.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("the data directory " + this.dataDirectory + " cannot be created", e);
        }
        // WRITE_DELAY=0: a commit reaches the disk before the call returns.
        this.pool = JdbcConnectionPool.create("jdbc:h2:file:" + database + ";WRITE_DELAY=0", "synthloom", "");
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS runs (id VARCHAR(200) PRIMARY KEY, pipeline VARCHAR(200) NOT NULL,"
                    + " state VARCHAR(16) NOT NULL, config_hash VARCHAR(128) NOT NULL, configuration CLOB NOT NULL,"
                    + " summary CLOB NOT NULL, created TIMESTAMP NOT NULL, updated TIMESTAMP NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS events (run_id VARCHAR(200) NOT NULL, seq BIGINT NOT NULL,"
                    + " type VARCHAR(32) NOT NULL, time TIMESTAMP NOT NULL, step BIGINT NOT NULL, total BIGINT NOT NULL,"
                    + " eta_ms BIGINT, message CLOB NOT NULL, component VARCHAR(512) NOT NULL, metrics CLOB NOT NULL,"
                    + " PRIMARY KEY (run_id, seq))");
            s.execute("CREATE TABLE IF NOT EXISTS metrics (run_id VARCHAR(200) NOT NULL, seq BIGINT NOT NULL,"
                    + " step BIGINT NOT NULL, name VARCHAR(200) NOT NULL, val DOUBLE PRECISION NOT NULL,"
                    + " PRIMARY KEY (run_id, seq, name))");
            s.execute("CREATE INDEX IF NOT EXISTS metrics_by_name ON metrics(run_id, name, step)");
            s.execute("CREATE TABLE IF NOT EXISTS tags (run_id VARCHAR(200) NOT NULL, name VARCHAR(200) NOT NULL,"
                    + " val VARCHAR(2000) NOT NULL, PRIMARY KEY (run_id, name))");
        } catch (SQLException e) {
            pool.dispose();
            throw new IllegalStateException(openFailure(database, e), e);
        }
        LOG.info("run store at {}", database);
    }

    private static String openFailure(Path database, SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("already in use") || message.contains("locked")) {
            return "the run store " + database + " is in use by another process: is another Synthloom running with"
                    + " this home? (" + message + ")";
        }
        return "the run store " + database + " cannot be opened: " + message;
    }

    /** Closes the database; the store can be opened again by a new instance. */
    @Deactivate
    @Override
    public void close() {
        pool.dispose();
    }

    @Override
    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public Path artifacts(String kind) {
        return directory(dataDirectory.resolve("artifacts").resolve(safe(kind, "artifact kind")));
    }

    @Override
    public Path runDirectory(String runId) {
        return directory(dataDirectory.resolve("runs").resolve(safe(runId, "run id")));
    }

    /** Keeps names that become directories inside the data directory. */
    private static String safe(String name, String what) {
        if (name.isEmpty() || !name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException(what + " '" + name + "' may only use letters, digits, '.', '_' and '-'");
        }
        return name;
    }

    private static Path directory(Path path) {
        try {
            return Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public RunRecord createRun(String pipeline, String configurationHash, String configuration) {
        String id = pipeline.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(java.time.LocalDateTime.now())
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        update("INSERT INTO runs (id, pipeline, state, config_hash, configuration, summary, created, updated)"
                + " VALUES (?, ?, ?, ?, ?, '', ?, ?)", id, pipeline, RunState.PENDING.name(), configurationHash,
                configuration, Timestamp.from(now), Timestamp.from(now));
        return new RunRecord(id, pipeline, RunState.PENDING, configurationHash, configuration, "", now, now);
    }

    @Override
    public Optional<RunRecord> run(String runId) {
        List<RunRecord> found = runs("SELECT * FROM runs WHERE id = ?", runId);
        return found.stream().findFirst();
    }

    @Override
    public Optional<RunRecord> unfinishedRun(String pipeline, String configurationHash) {
        return runs("SELECT * FROM runs WHERE pipeline = ? AND config_hash = ? ORDER BY created DESC LIMIT 1", pipeline,
                configurationHash).stream().filter(r -> r.state() != RunState.FINISHED).findFirst();
    }

    @Override
    public List<RunRecord> runs() {
        return runs("SELECT * FROM runs ORDER BY created DESC");
    }

    @Override
    public void tag(String runId, String key, String value) {
        if (run(runId).isEmpty()) {
            throw new IllegalArgumentException("no run " + runId + " to tag");
        }
        update("MERGE INTO tags (run_id, name, val) KEY (run_id, name) VALUES (?, ?, ?)", runId, key, value);
    }

    @Override
    public Map<String, String> tags(String runId) {
        Map<String, String> tags = new java.util.TreeMap<>();
        query("SELECT name, val FROM tags WHERE run_id = ?", rs -> tags.put(rs.getString("name"), rs.getString("val")),
                runId);
        return tags;
    }

    @Override
    public List<RunRecord> runsTagged(String key, String value) {
        return runs("SELECT r.* FROM runs r JOIN tags t ON t.run_id = r.id WHERE t.name = ? AND t.val = ?"
                + " ORDER BY r.created DESC", key, value);
    }

    private List<RunRecord> runs(String sql, Object... parameters) {
        return query(sql, rs -> new RunRecord(rs.getString("id"), rs.getString("pipeline"),
                RunState.valueOf(rs.getString("state")), rs.getString("config_hash"), rs.getString("configuration"),
                rs.getString("summary"), rs.getTimestamp("created").toInstant(), rs.getTimestamp("updated").toInstant()),
                parameters);
    }

    @Override
    public void onEvent(RunEvent event) {
        record(event);
    }

    @Override
    public synchronized void record(RunEvent event) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean isNew;
                try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM events WHERE run_id = ? AND seq = ?")) {
                    check.setString(1, event.runId());
                    check.setLong(2, event.sequence());
                    try (ResultSet rs = check.executeQuery()) {
                        isNew = !rs.next();
                    }
                }
                if (isNew) {
                    insertEvent(c, event);
                    moveState(c, event);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.error("event {} could not be recorded", event, e);
        }
    }

    private static void insertEvent(Connection c, RunEvent event) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (run_id, seq, type, time, step, total,"
                + " eta_ms, message, component, metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, event.runId());
            insert.setLong(2, event.sequence());
            insert.setString(3, event.type().name());
            insert.setTimestamp(4, Timestamp.from(event.time()));
            insert.setLong(5, event.step());
            insert.setLong(6, event.totalSteps());
            if (event.eta().isPresent()) {
                insert.setLong(7, event.eta().get().toMillis());
            } else {
                insert.setNull(7, java.sql.Types.BIGINT);
            }
            insert.setString(8, event.message());
            insert.setString(9, event.component());
            insert.setString(10, GSON.toJson(event.metrics()));
            insert.executeUpdate();
        }
        if (!event.metrics().isEmpty()) {
            try (PreparedStatement metric = c.prepareStatement(
                    "INSERT INTO metrics (run_id, seq, step, name, val) VALUES (?, ?, ?, ?, ?)")) {
                for (Map.Entry<String, Double> m : event.metrics().entrySet()) {
                    metric.setString(1, event.runId());
                    metric.setLong(2, event.sequence());
                    metric.setLong(3, event.step());
                    metric.setString(4, m.getKey());
                    metric.setDouble(5, m.getValue());
                    metric.addBatch();
                }
                metric.executeBatch();
            }
        }
    }

    /** Keeps the run's state in step with its events; creates the run row for runs the store did not create. */
    private static void moveState(Connection c, RunEvent event) throws SQLException {
        RunState state = switch (event.type()) {
            case STARTED, RESUMED -> RunState.RUNNING;
            case PAUSED -> RunState.PAUSED;
            case FAILED -> RunState.FAILED;
            case CANCELLED -> RunState.CANCELLED;
            case FINISHED -> RunState.FINISHED;
            default -> null;
        };
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM runs WHERE id = ?")) {
            exists.setString(1, event.runId());
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (PreparedStatement create = c.prepareStatement("INSERT INTO runs (id, pipeline, state, config_hash,"
                            + " configuration, summary, created, updated) VALUES (?, '', ?, '', '{}', '', ?, ?)")) {
                        create.setString(1, event.runId());
                        create.setString(2, (state == null ? RunState.RUNNING : state).name());
                        create.setTimestamp(3, now);
                        create.setTimestamp(4, now);
                        create.executeUpdate();
                    }
                    return;
                }
            }
        }
        if (state != null) {
            boolean terminal = state.isTerminal();
            try (PreparedStatement update = c.prepareStatement("UPDATE runs SET state = ?, updated = ?"
                    + (terminal ? ", summary = ?" : "") + " WHERE id = ?")) {
                update.setString(1, state.name());
                update.setTimestamp(2, now);
                if (terminal) {
                    update.setString(3, event.message());
                    update.setString(4, event.runId());
                } else {
                    update.setString(3, event.runId());
                }
                update.executeUpdate();
            }
        }
    }

    @Override
    public List<RunEvent> events(String runId) {
        return query("SELECT * FROM events WHERE run_id = ? ORDER BY seq", rs -> {
            RunEvent.Builder b = RunEvent.builder(RunEvent.Type.valueOf(rs.getString("type")), runId, rs.getLong("seq"))
                    .time(rs.getTimestamp("time").toInstant()).step(rs.getLong("step"), rs.getLong("total"))
                    .message(rs.getString("message")).component(rs.getString("component"));
            long eta = rs.getLong("eta_ms");
            if (!rs.wasNull()) {
                b.eta(Duration.ofMillis(eta));
            }
            Map<String, Double> metrics = GSON.fromJson(rs.getString("metrics"), METRICS);
            metrics.forEach(b::metric);
            return b.build();
        }, runId);
    }

    @Override
    public long nextSequence(String runId) {
        List<Long> max = query("SELECT MAX(seq) AS m FROM events WHERE run_id = ?", rs -> {
            long m = rs.getLong("m");
            return rs.wasNull() ? -1L : m;
        }, runId);
        return max.get(0) + 1;
    }

    @Override
    public List<MetricPoint> metric(String runId, String name) {
        // A resumed run redoes the steps after its last checkpoint: the latest report of a step counts.
        return query("SELECT m.step, m.val FROM metrics m WHERE m.run_id = ? AND m.name = ? AND m.seq = (SELECT MAX(seq)"
                + " FROM metrics n WHERE n.run_id = m.run_id AND n.name = m.name AND n.step = m.step) ORDER BY m.step",
                rs -> new MetricPoint(rs.getLong("step"), rs.getDouble("val")), runId, name);
    }

    @Override
    public Map<String, Double> latestMetrics(String runId) {
        Map<String, Double> latest = new LinkedHashMap<>();
        query("SELECT name, val FROM metrics WHERE run_id = ? ORDER BY seq", rs -> latest.put(rs.getString("name"),
                rs.getDouble("val")), runId);
        return latest;
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("run store query failed: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... parameters) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("run store update failed: " + e.getMessage(), e);
        }
    }
}
