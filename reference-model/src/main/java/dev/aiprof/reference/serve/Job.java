package dev.aiprof.reference.serve;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.CompletableFuture;

/**
 * A request waiting for a worker: its question, the server span's context (the worker's steps are
 * its children) and the {@code queue} span, which the worker ends when it takes the job.
 */
record Job(
    String question,
    int maxTokens,
    long arrivalNanos,
    Context parent,
    Span queue,
    CompletableFuture<Completion> result) {}
