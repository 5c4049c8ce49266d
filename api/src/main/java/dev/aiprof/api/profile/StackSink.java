package dev.aiprof.api.profile;

/**
 * Receives stack samples from the collectors that take them (a CPU sampler, an off-CPU probe),
 * through the pipeline, which hands each to every report sink that wants stacks. Called on the
 * source's thread: quick, thread-safe, never throws.
 */
@FunctionalInterface
public interface StackSink {
  void onStack(StackSample sample);

  /** Drops every sample. */
  StackSink NONE = s -> {};
}
