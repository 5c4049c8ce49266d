package dev.aiprof.exporters.traces;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance per distinct resource and scope among the spans the agent makes. The SDK's OTLP
 * marshalers group spans and cache their serialized resource and scope by object identity, so a
 * fresh but equal {@link Resource} per span (one per phase) costs a cached serialization per span
 * until the garbage collector clears it (about 2 KB each: 21 MB at 1,000 phases a second), and one
 * resource entry per span in every request. Bounded: the {@value #SIZE} most recently used of each
 * are kept. Thread-safe.
 */
final class Canonical {
  static final int SIZE = 1024;

  private final Map<Resource, Resource> resources = lru();
  private final Map<InstrumentationScopeInfo, InstrumentationScopeInfo> scopes = lru();

  /** {@code span} with the kept instances of its resource and scope (itself when they are). */
  synchronized SpanRecord of(SpanRecord span) {
    Resource r = resources.computeIfAbsent(span.resource(), k -> k);
    InstrumentationScopeInfo s = scopes.computeIfAbsent(span.scope(), k -> k);
    return r == span.resource() && s == span.scope() ? span : span.with(r, s);
  }

  private static <T> Map<T, T> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<T, T> eldest) {
        return size() > SIZE;
      }
    };
  }
}
