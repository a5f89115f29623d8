package org.synthloom.store.wds;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The members of one sample as read from a shard, not yet decoded: a key and, per extension
 * (lower case, without the leading dot, e.g. {@code png}, {@code json}, {@code emb.npy}), the
 * member's bytes. The arrays are shared, not copied.
 */
public final class RawSample {

    private final String key;
    private final String location;
    private final Map<String, byte[]> members;

    /**
     * @param key the WebDataset key shared by the members
     * @param location the shard it came from, for error messages
     * @param members bytes by extension
     */
    public RawSample(String key, String location, Map<String, byte[]> members) {
        this.key = Objects.requireNonNull(key, "key");
        this.location = Objects.requireNonNull(location, "location");
        this.members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /** @return the key */
    public String key() {
        return key;
    }

    /** @return the shard it came from */
    public String location() {
        return location;
    }

    /** @return bytes by extension, in shard order */
    public Map<String, byte[]> members() {
        return members;
    }

    /**
     * @param extension an extension such as {@code png}
     * @return the member's bytes, or null
     */
    public byte[] member(String extension) {
        return members.get(extension);
    }

    /** @return the total size of the members in bytes */
    public long size() {
        long total = 0;
        for (byte[] b : members.values()) {
            total += b.length;
        }
        return total;
    }

    @Override
    public String toString() {
        return location + ":" + key + members.keySet();
    }
}
