package org.synthloom.pipeline.internal;

import java.util.Locale;

import org.synthloom.api.data.Sample;

/** Shard keys: unique and ordered within a stage; the original id stays in the metadata. */
final class Keys {

    private Keys() {}

    static Sample rename(Sample sample, String prefix, long index) {
        return sample.toBuilder(String.format(Locale.ROOT, "%s-%09d", prefix, index)).metadata("source.id", sample.id())
                .build();
    }
}
