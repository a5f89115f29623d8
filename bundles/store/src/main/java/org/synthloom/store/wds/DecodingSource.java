package org.synthloom.store.wds;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.synthloom.api.data.InputProblem;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

/**
 * Decodes a raw stream into samples, skipping (and recording) the ones that do not decode.
 */
public final class DecodingSource implements SampleSource {

    private final RawSampleSource raw;
    private final SampleCodec codec;
    private final ProblemLog problems;

    /**
     * @param raw the raw stream (closed with this source)
     * @param codec decodes members into samples
     * @param problems where skipped samples are recorded (the log the raw stream uses too)
     */
    public DecodingSource(RawSampleSource raw, SampleCodec codec, ProblemLog problems) {
        this.raw = raw;
        this.codec = codec;
        this.problems = problems;
    }

    /**
     * Opens shards as a finite, ordered stream of samples.
     *
     * @param shards the shard files
     * @param codec decodes members
     * @return the samples, in shard order
     */
    public static DecodingSource of(List<java.nio.file.Path> shards, SampleCodec codec) {
        ProblemLog log = new ProblemLog();
        return new DecodingSource(new ShardStream(shards, 0, false, false, log), codec, log);
    }

    @Override
    public Optional<Sample> next() throws IOException {
        while (true) {
            Optional<RawSample> next = raw.next();
            if (next.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(codec.decode(next.get()));
            } catch (IOException e) {
                problems.add(next.get().location(), next.get().key(), e.getMessage() + "; the sample is skipped");
            }
        }
    }

    @Override
    public List<InputProblem> problems() {
        return problems.problems();
    }

    /** @return the problem log, which counts beyond the problems it keeps */
    public ProblemLog problemLog() {
        return problems;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
