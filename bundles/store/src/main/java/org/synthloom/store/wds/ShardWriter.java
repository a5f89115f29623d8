package org.synthloom.store.wds;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes samples into numbered shards ({@code prefix-000000.tar}, {@code prefix-000001.tar}, ...)
 * of a fixed number of samples each.
 *
 * <p>A shard is written under a temporary name and moved into place, synced to disk, only when
 * complete, so a killed process leaves only complete shards behind: a resumed stage continues
 * with the next shard index. Shards are reproducible: the same samples in the same order give the
 * same bytes (fixed timestamps and owners).
 */
public final class ShardWriter implements Closeable {

    private static final String TEMPORARY = ".part";

    private final Path directory;
    private final String prefix;
    private final int samplesPerShard;
    private final Consumer<ShardInfo> onCompleted;
    private final List<ShardInfo> completed = new ArrayList<>();
    private int nextIndex;
    private Open open;

    private record Open(Path path, Path temporary, TarArchiveOutputStream tar, MessageDigest digest,
            CountingStream counter, String firstKey, int samples, String lastKey) {
        Open with(String key) {
            return new Open(path, temporary, tar, digest, counter, firstKey == null ? key : firstKey, samples + 1, key);
        }
    }

    /**
     * @param directory where shards go; created if missing
     * @param prefix shard name prefix
     * @param samplesPerShard samples per shard, positive
     * @param firstIndex index of the first shard to write (the number of shards a previous,
     *     interrupted run completed)
     * @param onCompleted called with each shard once it is durable
     * @throws IOException if the directory cannot be created
     */
    public ShardWriter(Path directory, String prefix, int samplesPerShard, int firstIndex, Consumer<ShardInfo> onCompleted)
            throws IOException {
        if (samplesPerShard <= 0) {
            throw new IllegalArgumentException("samples per shard must be positive: " + samplesPerShard);
        }
        this.directory = Files.createDirectories(directory);
        this.prefix = prefix;
        this.samplesPerShard = samplesPerShard;
        this.nextIndex = firstIndex;
        this.onCompleted = onCompleted;
    }

    /**
     * @param prefix shard name prefix
     * @param index shard index
     * @return the shard's file name, e.g. {@code synthetic-000003.tar}
     */
    public static String shardName(String prefix, int index) {
        return String.format(Locale.ROOT, "%s-%06d.tar", prefix, index);
    }

    /**
     * Appends a sample, completing the current shard when it is full.
     *
     * @param sample the members to write; extensions become member suffixes
     * @throws IOException if writing fails
     */
    public void write(RawSample sample) throws IOException {
        if (open == null) {
            open = start();
        }
        for (Map.Entry<String, byte[]> member : sample.members().entrySet()) {
            TarArchiveEntry entry = new TarArchiveEntry(sample.key() + "." + member.getKey());
            entry.setSize(member.getValue().length);
            entry.setModTime(0L);
            entry.setMode(0100644);
            open.tar().putArchiveEntry(entry);
            open.tar().write(member.getValue());
            open.tar().closeArchiveEntry();
        }
        open = open.with(sample.key());
        if (open.samples() >= samplesPerShard) {
            finish();
        }
    }

    private Open start() throws IOException {
        Path path = directory.resolve(shardName(prefix, nextIndex));
        Path temporary = path.resolveSibling(path.getFileName() + TEMPORARY);
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JRE has no SHA-256", e);
        }
        CountingStream counter = new CountingStream(new DigestOutputStream(new BufferedOutputStream(
                Files.newOutputStream(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE), 1 << 16), digest));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(counter, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return new Open(path, temporary, tar, digest, counter, null, 0, null);
    }

    private void finish() throws IOException {
        Open shard = open;
        open = null;
        shard.tar().finish();
        shard.tar().close();
        try (FileChannel channel = FileChannel.open(shard.temporary(), StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(shard.temporary(), shard.path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        ShardInfo info = new ShardInfo(shard.path(), shard.samples(), shard.counter().count,
                HexFormat.of().formatHex(shard.digest().digest()), shard.firstKey(), shard.lastKey());
        completed.add(info);
        nextIndex++;
        onCompleted.accept(info);
    }

    /** @return the shards completed so far by this writer */
    public List<ShardInfo> completed() {
        return List.copyOf(completed);
    }

    /** @return the index the next shard will get */
    public int nextIndex() {
        return nextIndex;
    }

    /**
     * Drops the shard being written, if any, so that an interrupted stage leaves only complete,
     * full shards (a resumed stage regenerates the dropped samples into the same shard).
     *
     * @throws IOException if the temporary file cannot be deleted
     */
    public void abandon() throws IOException {
        if (open != null) {
            Open shard = open;
            open = null;
            shard.tar().close();
            Files.deleteIfExists(shard.temporary());
        }
    }

    /** Completes the last, possibly partial, shard. */
    @Override
    public void close() throws IOException {
        if (open != null) {
            finish();
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
