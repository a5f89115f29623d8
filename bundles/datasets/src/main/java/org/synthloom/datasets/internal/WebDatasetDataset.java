package org.synthloom.datasets.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.SampleSource;
import org.synthloom.store.RunStore;
import org.synthloom.store.wds.DecodingSource;
import org.synthloom.store.wds.ProblemLog;
import org.synthloom.store.wds.SampleCodec;
import org.synthloom.store.wds.ShardStream;

/**
 * WebDataset shards as a dataset: each split is a set of tar shards named by patterns
 * ({@code train=datasets/laion/{00000..00009}.tar}), read once, in sorted shard order, through the
 * store's shard reader and sample codec (img2dataset's jpg/txt/json, OpenCLIP's, Synthloom's own).
 * Sizes are unknown without reading the shards.
 */
@Component(service = Dataset.class, configurationPid = WebDatasetDataset.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WebDatasetConfig.class, factory = true)
@SynthloomPlugin(kind = Dataset.KIND, name = WebDatasetDataset.NAME)
public class WebDatasetDataset implements Dataset {

    static final String NAME = "webdataset";
    static final String FACTORY_PID = "org.synthloom.datasets.webdataset";

    private static final Logger LOG = LoggerFactory.getLogger(WebDatasetDataset.class);

    private final String name;
    private final Path dataDirectory;
    private final Map<String, List<String>> splits;
    private final SampleCodec codec;

    @Activate
    public WebDatasetDataset(WebDatasetConfig config, @Reference(name = "store") RunStore store) {
        this.name = config.synthloom_name() == null || config.synthloom_name().isBlank() ? NAME : config.synthloom_name();
        this.dataDirectory = store.dataDirectory().toAbsolutePath();
        this.splits = parse(config.splits());
        this.codec = SampleCodec.create(name);
        LOG.info("webdataset {}: splits {} (patterns relative to {})", name, splits, dataDirectory);
        if (NAME.equals(name)) {
            LOG.info("webdataset {} is named '{}'; set synthloom.name in its configuration to name it", splits, NAME);
        }
    }

    /** Parses 'name=pattern' entries; several entries of one split add up. */
    static Map<String, List<String>> parse(String[] entries) {
        Map<String, List<String>> splits = new LinkedHashMap<>();
        for (String entry : entries == null ? new String[0] : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String split = eq < 0 ? "" : entry.substring(0, eq).strip();
            String pattern = eq < 0 ? "" : entry.substring(eq + 1).strip();
            if (split.isEmpty() || pattern.isEmpty()) {
                throw new IllegalArgumentException("webdataset: a 'splits' entry must read 'name=pattern', e.g."
                        + " 'train=datasets/laion/{00000..00009}.tar': '" + entry + "'");
            }
            ShardPattern.check(pattern);
            splits.computeIfAbsent(split, k -> new ArrayList<>()).add(pattern);
        }
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("webdataset: 'splits' is required: 'name=pattern' entries, e.g."
                    + " 'train=datasets/laion/{00000..00009}.tar'");
        }
        return splits;
    }

    @Override
    public List<String> splits() {
        return List.copyOf(splits.keySet());
    }

    @Override
    public List<String> classNames() {
        return List.of();
    }

    /**
     * The shards of a split, sorted.
     *
     * @param split a split
     * @param problems receives the expanded names that do not exist
     * @return the existing shards
     * @throws IOException if no shard exists at all, or a folder cannot be listed
     */
    List<Path> shards(String split, ProblemLog problems) throws IOException {
        List<String> patterns = splits.get(split);
        if (patterns == null) {
            throw new IllegalArgumentException("webdataset " + name + " has no split '" + split + "'; it has " + splits());
        }
        TreeSet<Path> shards = new TreeSet<>();
        for (String pattern : patterns) {
            ShardPattern.Match match = ShardPattern.match(dataDirectory, pattern);
            shards.addAll(match.shards());
            for (Path missing : match.missing()) {
                problems.add(missing.toString(), "", "shard not found (named by '" + pattern + "'); it is skipped");
            }
        }
        if (shards.isEmpty()) {
            throw new IOException("webdataset " + name + " split " + split + ": no shard matches " + patterns
                    + " (relative patterns start at " + dataDirectory + ")");
        }
        return List.copyOf(shards);
    }

    @Override
    public SampleSource open(String split) throws IOException {
        ProblemLog problems = new ProblemLog();
        List<Path> shards = shards(split, problems);
        LOG.debug("webdataset {} split {}: {} shards", name, split, shards.size());
        return new DecodingSource(new ShardStream(shards, 0, false, false, problems), codec, problems);
    }
}
