package dev.aiprof.reference.embed;

import java.util.List;

/**
 * The small built-in document collection the server retrieves from: short passages about running
 * and profiling inference. Embedded once at start. Immutable.
 */
public final class Corpus {
  private static final List<String> PASSAGES =
      List.of(
          "A GPU kernel launch is queued on a stream and runs asynchronously to the host thread.",
          "The key-value cache stores attention keys and values so decode steps reuse them.",
          "Prefill processes every prompt token at once; decode produces one token per step.",
          "Time to first token is the delay before a streaming answer starts to appear.",
          "Batching requests raises throughput but can raise the latency of each request.",
          "Quantised int8 weights shrink a model four times compared with 32-bit floats.",
          "A runqueue wait means a thread was ready to run but no CPU was free for it.",
          "Uninterruptible sleep usually means a thread waits for disk I/O to complete.",
          "An fsync forces a file's dirty pages to stable storage before it returns.",
          "The page cache keeps recently read file data in memory for later reads.",
          "A noisy neighbour is another workload that competes for the same CPU or disk.",
          "eBPF programs attached to scheduler tracepoints see every context switch.",
          "OpenTelemetry traces link spans across processes with a shared trace id.",
          "The W3C traceparent header carries the trace id and the parent span id.",
          "Cosine similarity compares the direction of two embedding vectors.",
          "Sentence embeddings map texts with similar meaning to nearby vectors.",
          "Retrieval augmented generation adds retrieved passages to the model's prompt.",
          "Tokenizers split text into subword units the model has a vocabulary for.",
          "Greedy decoding always picks the token with the highest logit.",
          "Loading model weights from disk can dominate the start-up of an inference server.",
          "Memory bandwidth often limits the speed of decoding on large language models.",
          "A thread pinned to one CPU cannot migrate when that CPU is busy.",
          "Garbage collection pauses stop every application thread of a Java process.",
          "The cat sat on the warm windowsill and watched the birds in the garden.",
          "Fresh bread from the bakery smells of yeast and a crisp golden crust.",
          "The river flooded the valley after three days of heavy autumn rain.",
          "A violin concerto has a solo instrument and a full orchestra in dialogue.",
          "Mountain climbers carry oxygen above eight thousand metres of altitude.",
          "The football match ended in a draw after extra time and penalties.",
          "Tomatoes ripen faster when stored next to bananas in a paper bag.",
          "The museum's new wing shows paintings from the Dutch golden age.",
          "Migrating geese fly in a V formation to save energy on long journeys.");

  private Corpus() {}

  /** The passages, in a fixed order. */
  public static List<String> passages() {
    return PASSAGES;
  }
}
