package dev.aiprof.api.phase;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What signals say about one phase, filled in by each {@link PhaseSignal}: span attributes under
 * {@code aiprof.}, span events for individual incidents (a 12 ms runqueue wait), and time by
 * category for the phase-level metrics. Not thread-safe: one phase is described on one thread.
 */
public final class PhaseDescription {
  /** An incident inside the phase, exported as a span event. */
  public record Event(String name, long monoNs, Attributes attributes) {}

  private final AttributesBuilder attributes = Attributes.builder();
  private final List<Event> events = new ArrayList<>();
  private final Map<String, Long> times = new LinkedHashMap<>();

  public <T> PhaseDescription attribute(AttributeKey<T> key, T value) {
    attributes.put(key, value);
    return this;
  }

  /** Time the phase spent in {@code category} ("on_cpu", "runqueue", "blocked", ...), in ns. */
  public PhaseDescription time(String category, long ns) {
    times.merge(category, ns, Long::sum);
    return this;
  }

  public PhaseDescription event(String name, long monoNs, Attributes attrs) {
    events.add(new Event(name, monoNs, attrs));
    return this;
  }

  public Attributes attributes() {
    return attributes.build();
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  public Map<String, Long> times() {
    return Map.copyOf(times);
  }
}
