package org.synthloom.evaluators.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.synthloom.api.data.Sample;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.EvaluationContext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Generates captions with a model that reads {@code text_tokens}/{@code text_mask} next to its
 * image fields and returns {@code caption_logits} {@code (B, T, V)}, position {@code t}
 * predicting the token after the first {@code t + 1} input tokens.
 *
 * <p>Beam search, batched over samples: each sample's {@code K} beams are rows of one batch
 * ({@code context.toBatch} of the samples each repeated {@code K} times, its text fields replaced
 * by the beams' prefixes: start token, tokens so far, padding with mask 0 up to the context
 * length). Every step runs one forward pass and reads the log-softmax at the last real position
 * ({@code t = prefix length - 1}). Among the {@code K} best continuations of each live beam, the
 * best by total log-probability are taken in order: one ending with the end token completes a
 * hypothesis, any other becomes one of the next {@code K} live beams. A sample is done when no
 * beam is live, or when it has {@code K} complete hypotheses and its best live beam's
 * log-probability per token so far is no better than the {@code K}-th best hypothesis's (the
 * stopping rule of Hugging Face's beam search without early stopping); at the length limit (the
 * context length, or {@code maxLength} generated tokens) its live beams become hypotheses too.
 * The caption is the hypothesis with the best length-normalised log-probability (total / tokens
 * generated, the end token included). {@code K = 1} is greedy decoding.
 */
final class CaptionDecoder {

    /** A finished or cut-off caption of one sample. */
    private record Hypothesis(int[] tokens, double logProbability, int length) {
        double normalized() {
            return logProbability / length;
        }
    }

    private final EvaluationContext context;
    private final int beams;
    private final int maxLength;

    /**
     * @param context the model
     * @param beams the beam size; 1 decodes greedily
     * @param maxLength at most this many generated tokens; 0 for the context length
     */
    CaptionDecoder(EvaluationContext context, int beams, int maxLength) {
        this.context = context;
        this.beams = beams;
        this.maxLength = maxLength;
    }

    /**
     * Generates a caption for each sample.
     *
     * @param samples the samples (their images are what the model reads)
     * @return for each sample the generated token ids, without start and end tokens
     * @throws IllegalStateException if the batch has no text tokens or the model no caption logits
     *     of the expected shape
     */
    List<int[]> decode(List<Sample> samples) {
        Tokenizer tokenizer = context.tokenizer();
        int n = samples.size();
        int rows = n * beams;
        List<Sample> repeated = new ArrayList<>(rows);
        for (Sample sample : samples) {
            for (int k = 0; k < beams; k++) {
                repeated.add(sample);
            }
        }
        try (NDManager scope = context.manager().newSubManager()) {
            NDList base = context.toBatch(repeated);
            base.attach(scope);
            NDArray textTokens = base.get(Fields.TEXT_TOKENS);
            if (textTokens == null || textTokens.getShape().dimension() != 2) {
                throw new IllegalStateException("the evaluation batch has no " + Fields.TEXT_TOKENS
                        + " (B, context) to replace with the caption being generated (got "
                        + base.stream().map(a -> a.getName() + " " + a.getShape()).toList() + ")");
            }
            int contextLength = (int) textTokens.getShape().get(1);
            DataType tokenType = textTokens.getDataType();
            NDArray textMask = base.get(Fields.TEXT_MASK);
            DataType maskType = textMask == null ? tokenType : textMask.getDataType();
            NDList images = new NDList();
            base.stream().filter(a -> !Fields.TEXT_TOKENS.equals(a.getName()) && !Fields.TEXT_MASK.equals(a.getName()))
                    .forEach(images::add);
            // The sequence (start + generated) never exceeds the context.
            int limit = contextLength - 1;
            if (maxLength > 0) {
                limit = Math.min(limit, maxLength);
            }

            int[][] sequences = new int[rows][contextLength];
            double[] scores = new double[rows];
            boolean[] live = new boolean[rows];
            List<List<Hypothesis>> finished = new ArrayList<>(n);
            boolean[] done = new boolean[n];
            for (int r = 0; r < rows; r++) {
                Arrays.fill(sequences[r], tokenizer.padId());
                sequences[r][0] = tokenizer.startId();
                // One live beam per sample at first, so that its K beams do not start as copies.
                live[r] = r % beams == 0;
            }
            for (int s = 0; s < n; s++) {
                finished.add(new ArrayList<>());
            }

            int step = 0;
            for (; step < limit && !allDone(done); step++) {
                Top top = step(scope, images, sequences, step + 1, tokenType, maskType);
                for (int s = 0; s < n; s++) {
                    if (!done[s]) {
                        done[s] = advance(s, step, top, sequences, scores, live, finished.get(s), tokenizer.endId());
                    }
                }
            }
            List<int[]> captions = new ArrayList<>(n);
            for (int s = 0; s < n; s++) {
                List<Hypothesis> hypotheses = finished.get(s);
                if (!done[s]) {
                    for (int r = s * beams; r < (s + 1) * beams; r++) {
                        if (live[r]) {
                            hypotheses.add(new Hypothesis(Arrays.copyOfRange(sequences[r], 1, step + 1), scores[r],
                                    Math.max(1, step)));
                        }
                    }
                }
                captions.add(hypotheses.stream().max(Comparator.comparingDouble(Hypothesis::normalized))
                        .map(Hypothesis::tokens).orElse(new int[0]));
            }
            return captions;
        }
    }

    /** A continuation of the beam in {@code row} by {@code token}, with its total log-probability. */
    private record Candidate(double total, int row, int token) {}

    /** The {@code K} best next tokens of every row: log-probabilities and ids, row-major. */
    private record Top(float[] logProbabilities, long[] tokens, int k) {}

    /** One forward pass over prefixes of {@code length} tokens; the top-K log-probabilities at position {@code length - 1}. */
    private Top step(NDManager scope, NDList images, int[][] sequences, int length, DataType tokenType,
            DataType maskType) {
        int rows = sequences.length;
        int contextLength = sequences[0].length;
        int[] flat = new int[rows * contextLength];
        int[] mask = new int[rows * contextLength];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(sequences[r], 0, flat, r * contextLength, contextLength);
            Arrays.fill(mask, r * contextLength, r * contextLength + length, 1);
        }
        try (NDManager stepScope = scope.newSubManager()) {
            NDArray tokens = stepScope.create(flat, new Shape(rows, contextLength)).toType(tokenType, false);
            tokens.setName(Fields.TEXT_TOKENS);
            NDArray maskArray = stepScope.create(mask, new Shape(rows, contextLength)).toType(maskType, false);
            maskArray.setName(Fields.TEXT_MASK);
            NDList batch = new NDList(images);
            batch.add(tokens);
            batch.add(maskArray);
            NDList outputs = context.forward(batch);
            outputs.attach(stepScope);
            NDArray logits = outputs.get(Fields.CAPTION_LOGITS);
            if (logits == null) {
                throw new IllegalStateException("the model returned no '" + Fields.CAPTION_LOGITS + "' (got "
                        + outputs.stream().map(NDArray::getName).toList() + ")");
            }
            Shape shape = logits.getShape();
            if (shape.dimension() != 3 || shape.get(0) != rows || shape.get(1) < length) {
                throw new IllegalStateException("'" + Fields.CAPTION_LOGITS + "' has shape " + shape + ", expected ("
                        + rows + ", >= " + length + ", V)");
            }
            int k = (int) Math.min(beams, shape.get(2));
            NDArray last = logits.get(new NDIndex(":, {}, :", length - 1)).toType(DataType.FLOAT32, false).logSoftmax(1);
            NDList best = last.topK(k, 1, true, true);
            return new Top(best.get(0).toFloatArray(), best.get(1).toType(DataType.INT64, false).toLongArray(), k);
        }
    }

    /**
     * Extends sample {@code s}'s beams by one token.
     *
     * @return {@code true} if the sample is done
     */
    private boolean advance(int s, int step, Top top, int[][] sequences, double[] scores, boolean[] live,
            List<Hypothesis> finished, int endId) {
        int first = s * beams;
        List<Candidate> candidates = new ArrayList<>();
        for (int b = 0; b < beams; b++) {
            int r = first + b;
            if (!live[r]) {
                continue;
            }
            for (int j = 0; j < top.k; j++) {
                double total = scores[r] + top.logProbabilities[r * top.k + j];
                if (total > Double.NEGATIVE_INFINITY) {
                    candidates.add(new Candidate(total, r, (int) top.tokens[r * top.k + j]));
                }
            }
        }
        // Best first; a stable sort keeps beam order, then rank order, on ties.
        candidates.sort(Comparator.comparingDouble((Candidate c) -> -c.total));
        int[][] nextSequences = new int[beams][];
        double[] nextScores = new double[beams];
        int kept = 0;
        for (Candidate c : candidates) {
            if (kept == beams) {
                break;
            }
            if (c.token == endId) {
                finished.add(new Hypothesis(Arrays.copyOfRange(sequences[c.row], 1, step + 1), c.total, step + 1));
            } else {
                nextSequences[kept] = sequences[c.row].clone();
                nextSequences[kept][step + 1] = c.token;
                nextScores[kept] = c.total;
                kept++;
            }
        }
        for (int b = 0; b < beams; b++) {
            live[first + b] = b < kept;
            if (b < kept) {
                sequences[first + b] = nextSequences[b];
                scores[first + b] = nextScores[b];
            }
        }
        if (kept == 0) {
            return true;
        }
        if (finished.size() < beams) {
            return false;
        }
        // Done once the best live beam's log-probability per token so far is no better than the
        // K-th best complete hypothesis (Hugging Face's rule without early stopping).
        double[] normalized = finished.stream().mapToDouble(Hypothesis::normalized).sorted().toArray();
        return nextScores[0] / (step + 1) <= normalized[normalized.length - beams];
    }

    private static boolean allDone(boolean[] done) {
        for (boolean d : done) {
            if (!d) {
                return false;
            }
        }
        return true;
    }
}
