package dev.aiprof.custom.bpftrace;

import java.util.List;

/** One line of {@code bpftrace -f json} output, decoded ({@link OutputParser}). */
public sealed interface OutputLine {
  /**
   * A printed map: each entry's key parts (split at commas into as many parts as the script's key
   * expressions, the last one keeping any further commas) and value. Entries past the bound were
   * dropped and counted in {@code droppedKeys}.
   */
  record MapPrint(String map, List<Entry> entries, int droppedKeys) implements OutputLine {}

  /** One key of a printed map. */
  record Entry(List<String> key, MapValue value) {}

  /** bpftrace attached its probes: the script compiled and runs. */
  record Attached(int probes) implements OutputLine {}

  /** bpftrace lost events (its perf buffer was full). */
  record Lost(long events) implements OutputLine {}

  /** A line the agent does not use ({@code printf}, {@code time}...) or could not read. */
  record Other(String type) implements OutputLine {}
}
