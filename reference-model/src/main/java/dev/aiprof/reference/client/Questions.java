package dev.aiprof.reference.client;

import java.util.List;

/** The questions the client asks, in turn. Each has a passage in the server's corpus. */
final class Questions {
  private static final List<String> ALL =
      List.of(
          "Why does my thread wait for a free CPU?",
          "What does the key-value cache store?",
          "How long until the first token of the answer appears?",
          "What does fsync do to a file?",
          "Why is decoding limited by memory bandwidth?",
          "What links spans across processes?",
          "What is the difference between prefill and decode?",
          "Why can loading weights slow down start-up?");

  private Questions() {}

  static String get(int i) {
    return ALL.get(i % ALL.size());
  }
}
