package org.synthloom.datasets.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.data.InputProblem;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.store.wds.ProblemLog;

/**
 * The common part of the datasets' sources: the problem log, the closed state, and a summary in
 * the log when the source is closed. Subclasses read one sample at a time in {@link #read()},
 * recording (never throwing) what they skip.
 */
abstract class BaseSource implements SampleSource {

    private static final Logger LOG = LoggerFactory.getLogger(BaseSource.class);

    protected final ProblemLog problems;
    private final String description;
    private boolean closed;
    private long read;

    /**
     * @param description what is read, for messages ({@code "csv dataset cc3m, split train"})
     * @param problems the log skipped input goes to
     */
    BaseSource(String description, ProblemLog problems) {
        this.description = description;
        this.problems = problems;
    }

    /**
     * @return the next usable sample, or empty at the end
     * @throws IOException only if the input cannot be read any further at all
     */
    protected abstract Optional<Sample> read() throws IOException;

    /** Releases what the subclass holds open. */
    protected void release() throws IOException {
    }

    @Override
    public final Optional<Sample> next() throws IOException {
        if (closed) {
            throw new IOException("the source of " + description + " is closed");
        }
        Optional<Sample> sample = read();
        if (sample.isPresent()) {
            read++;
        }
        return sample;
    }

    @Override
    public final List<InputProblem> problems() {
        return problems.problems();
    }

    /** @return the problem log, which counts beyond the problems it keeps */
    final ProblemLog problemLog() {
        return problems;
    }

    @Override
    public final void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (problems.count() > 0) {
            LOG.info("{}: {} samples read, {} entries skipped (first: {})", description, read, problems.count(),
                    problems.problems().isEmpty() ? "-" : problems.problems().get(0));
        }
        release();
    }
}
