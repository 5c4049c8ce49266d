package dev.aiprof.reference.serve;

/**
 * One request's answer and its timings.
 *
 * @param text the generated text (nonsense: the model's weights are synthetic)
 * @param passage the retrieved passage the prompt was built on
 * @param inputTokens prompt tokens
 * @param outputTokens generated tokens
 * @param timeToFirstTokenNanos from the request's arrival to the first generated token
 * @param timePerOutputTokenNanos mean time of each token after the first (0 with one token)
 */
public record Completion(
    String text,
    String passage,
    int inputTokens,
    int outputTokens,
    long timeToFirstTokenNanos,
    long timePerOutputTokenNanos) {}
