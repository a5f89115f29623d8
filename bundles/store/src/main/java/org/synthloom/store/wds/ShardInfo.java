package org.synthloom.store.wds;

import java.nio.file.Path;

/**
 * A completed shard: where it is, how many samples and bytes it holds, and its SHA-256, which
 * manifests record so that a resumed or copied shard set can be verified.
 *
 * @param path the tar file
 * @param samples the number of samples in it
 * @param bytes its size
 * @param sha256 the hex SHA-256 of its bytes
 * @param firstKey the key of its first sample
 * @param lastKey the key of its last sample
 */
public record ShardInfo(Path path, int samples, long bytes, String sha256, String firstKey, String lastKey) {
}
