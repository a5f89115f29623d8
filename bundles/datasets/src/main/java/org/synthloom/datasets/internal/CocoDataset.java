package org.synthloom.datasets.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.store.RunStore;
import org.synthloom.store.wds.ProblemLog;

/**
 * A COCO captions file (e.g. {@code captions_train2017.json}) as one split: one sample per image,
 * with all its captions, in image id order. The JSON is read with a streaming parser when a split
 * is opened (and once for {@link #size(String)}, whose count is kept per version of the file).
 */
@Component(service = Dataset.class, configurationPid = CocoDataset.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CocoConfig.class, factory = true)
@SynthloomPlugin(kind = Dataset.KIND, name = CocoDataset.NAME)
public class CocoDataset implements Dataset {

    static final String NAME = "coco";
    static final String FACTORY_PID = "org.synthloom.datasets.coco";

    private static final Logger LOG = LoggerFactory.getLogger(CocoDataset.class);

    private final String name;
    private final Path annotations;
    private final Path images;
    private final String split;
    private final Provenance human;
    private Object countedVersion;
    private long count = -1;

    @Activate
    public CocoDataset(CocoConfig config, @Reference(name = "store") RunStore store) {
        this.name = config.synthloom_name() == null || config.synthloom_name().isBlank() ? NAME : config.synthloom_name();
        this.annotations = DataFiles.resolve(store.dataDirectory(), config.annotations(), "annotations");
        this.images = config.images() == null || config.images().isBlank() ? annotations.getParent()
                : DataFiles.resolve(store.dataDirectory(), config.images(), "images");
        this.split = config.split() == null || config.split().isBlank() ? "train" : config.split().strip();
        this.human = Provenance.human(name);
        LOG.info("coco dataset {}: {} (images in {}) as split {}", name, annotations, images, split);
        if (NAME.equals(name)) {
            LOG.info("coco dataset {} is named '{}'; set synthloom.name in its configuration to name it", annotations, NAME);
        }
    }

    @Override
    public List<String> splits() {
        return List.of(split);
    }

    @Override
    public List<String> classNames() {
        return List.of();
    }

    /** The number of images with at least one caption; -1 if the file cannot be read. */
    @Override
    public synchronized long size(String split) {
        requireSplit(split);
        try {
            Object version = version();
            if (!version.equals(countedVersion)) {
                count = CocoCaptions.read(annotations, new ProblemLog()).size();
                countedVersion = version;
            }
            return count;
        } catch (IOException e) {
            LOG.warn("coco dataset {}: {}", name, e.getMessage());
            return -1;
        }
    }

    private Object version() throws IOException {
        BasicFileAttributes a = Files.readAttributes(annotations, BasicFileAttributes.class);
        return List.of(a.size(), a.lastModifiedTime());
    }

    @Override
    public SampleSource open(String split) throws IOException {
        requireSplit(split);
        if (!Files.isRegularFile(annotations)) {
            throw new IOException("coco dataset " + name + ": annotation file not found at " + annotations);
        }
        ProblemLog problems = new ProblemLog();
        Object version = version();
        List<CocoCaptions.Image> list = CocoCaptions.read(annotations, problems);
        synchronized (this) {
            count = list.size();
            countedVersion = version;
        }
        return new Source(list, problems);
    }

    private void requireSplit(String s) {
        if (!split.equals(s)) {
            throw new IllegalArgumentException("coco dataset " + name + " has no split '" + s + "'; it has [" + split + "]");
        }
    }

    /** Reads the images in id order, decoding each when its sample is read. */
    private final class Source extends BaseSource {
        private final List<CocoCaptions.Image> list;
        private final String idPrefix = Ids.sanitize(name) + "-";
        private int next;

        Source(List<CocoCaptions.Image> list, ProblemLog problems) {
            super("coco dataset " + name + " split " + split, problems);
            this.list = list;
        }

        @Override
        protected Optional<Sample> read() {
            while (next < list.size()) {
                CocoCaptions.Image image = list.get(next++);
                String entry = "image " + image.id() + " (" + image.fileName() + ")";
                DataFiles.Confined file = DataFiles.confine(images, image.fileName());
                if (!file.ok()) {
                    problems.add(annotations.toString(), entry, file.refusal() + "; the image is skipped");
                    continue;
                }
                try {
                    Sample.Builder b = Sample.builder(idPrefix + image.id())
                            .pixels(DataFiles.loadImage(file.file(), file.file().toString()))
                            .imageProvenance(human)
                            .metadata("image_id", Long.toString(image.id()))
                            .metadata("file_name", image.fileName())
                            .metadata("split", split);
                    image.captions().forEach(c -> b.caption(new Caption(c, human)));
                    return Optional.of(b.build());
                } catch (IOException | RuntimeException e) {
                    problems.add(annotations.toString(), entry, DataFiles.describe(e) + "; the image is skipped");
                }
            }
            return Optional.empty();
        }
    }
}
