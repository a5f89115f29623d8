package org.synthloom.store.wds;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the samples of one shard in order. Members of a sample must be consecutive, as every
 * WebDataset writer makes them. Corrupt parts are skipped and logged: a member larger than the
 * limit, an entry whose name climbs out of the shard, a link, a truncated end (the samples
 * before it are kept).
 */
public final class ShardReader implements RawSampleSource {

    /** Largest member read, 256 MiB: a hostile tar cannot make the reader allocate more. */
    public static final long MAX_MEMBER_BYTES = 256L << 20;

    private final Path shard;
    private final String location;
    private final ProblemLog problems;
    private final TarArchiveInputStream tar;
    private TarArchiveEntry pending;
    private boolean finished;
    private String lastEntry = "";

    /**
     * Opens a shard.
     *
     * @param shard the tar file
     * @param problems where skipped input is recorded
     * @throws IOException if the file cannot be opened
     */
    public ShardReader(Path shard, ProblemLog problems) throws IOException {
        this(Files.newInputStream(shard), shard.toString(), problems);
    }

    /**
     * Reads a shard from a stream (closed with the reader).
     *
     * @param in the tar bytes
     * @param location the name used in problem reports
     * @param problems where skipped input is recorded
     */
    public ShardReader(InputStream in, String location, ProblemLog problems) {
        this.shard = null;
        this.location = location;
        this.problems = problems;
        this.tar = new TarArchiveInputStream(new BufferedInputStream(in, 1 << 16));
    }

    /** @return the shard's name as used in problem reports */
    public String location() {
        return location;
    }

    @Override
    public Optional<RawSample> next() throws IOException {
        return read(true);
    }

    @Override
    public long skip(long count) throws IOException {
        long skipped = 0;
        while (skipped < count && read(false).isPresent()) {
            skipped++;
        }
        return skipped;
    }

    /** Reads the next usable group of members sharing a key; without data when only counting. */
    private Optional<RawSample> read(boolean withData) throws IOException {
        while (true) {
            Group group = readGroup(withData);
            if (group == null) {
                return Optional.empty();
            }
            if (!group.rejected) {
                return Optional.of(new RawSample(group.key, location, group.members));
            }
        }
    }

    private record Group(String key, Map<String, byte[]> members, boolean rejected) {}

    private Group readGroup(boolean withData) throws IOException {
        String key = null;
        Map<String, byte[]> members = new LinkedHashMap<>();
        boolean rejected = false;
        while (true) {
            TarArchiveEntry entry = nextEntry();
            if (entry == null) {
                break;
            }
            String name = entry.getName();
            String[] keyAndExtension = WdsKeys.split(name);
            if (keyAndExtension == null) {
                pending = null;
                continue; // a directory or a file without extension (e.g. a README): not sample data
            }
            if (key != null && !key.equals(keyAndExtension[0])) {
                break; // first member of the next sample: keep it for the next call
            }
            pending = null;
            key = keyAndExtension[0];
            String unsafe = WdsKeys.unsafe(name);
            if (unsafe != null) {
                problems.add(location, name, unsafe + "; the sample is skipped");
                rejected = true;
            } else if (!entry.isFile()) {
                problems.add(location, name, "the entry is a " + (entry.isSymbolicLink() || entry.isLink() ? "link" : "special file")
                        + ", not a regular file; the sample is skipped");
                rejected = true;
            } else if (entry.getSize() > MAX_MEMBER_BYTES) {
                problems.add(location, name, "the member has " + entry.getSize() + " bytes, more than the limit of "
                        + MAX_MEMBER_BYTES + "; the sample is skipped");
                rejected = true;
            } else if (withData && !rejected) {
                byte[] data = readData(entry);
                if (data == null) {
                    rejected = true;
                } else if (members.put(keyAndExtension[1], data) != null) {
                    problems.add(location, name, "the key has two '" + keyAndExtension[1]
                            + "' members; the later one is used");
                }
            } else if (!withData) {
                members.put(keyAndExtension[1], EMPTY);
            }
        }
        return key == null ? null : new Group(key, members, rejected);
    }

    private static final byte[] EMPTY = new byte[0];

    private TarArchiveEntry nextEntry() throws IOException {
        if (pending != null) {
            return pending;
        }
        if (finished) {
            return null;
        }
        try {
            pending = tar.getNextEntry();
        } catch (IOException e) {
            problems.add(location, lastEntry.isEmpty() ? "(start)" : "after " + lastEntry,
                    "the shard is truncated or corrupt (" + e.getMessage() + "); the samples before it are kept");
            pending = null;
        }
        if (pending == null) {
            finished = true;
        } else {
            lastEntry = pending.getName();
        }
        return pending;
    }

    private byte[] readData(TarArchiveEntry entry) {
        try {
            byte[] data = tar.readNBytes((int) entry.getSize());
            if (data.length < entry.getSize()) {
                problems.add(location, entry.getName(), "the member is truncated (" + data.length + " of "
                        + entry.getSize() + " bytes); the sample is skipped");
                finished = true;
                return null;
            }
            return data;
        } catch (IOException e) {
            problems.add(location, entry.getName(), "the member cannot be read (" + e.getMessage()
                    + "); the sample is skipped");
            finished = true;
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }

    @Override
    public String toString() {
        return "ShardReader[" + (shard != null ? shard : location) + "]";
    }
}
