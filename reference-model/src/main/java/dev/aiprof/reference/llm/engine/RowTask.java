package dev.aiprof.reference.llm.engine;

/** Work over rows {@code [from, to)} that any thread of a {@link RowPool} may run. */
@FunctionalInterface
interface RowTask {
  void rows(int from, int to);
}
