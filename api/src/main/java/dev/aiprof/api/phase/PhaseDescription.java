package dev.aiprof.api.phase;

import dev.aiprof.api.category.Category;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What signals say about one phase, filled in by each {@link PhaseSignal}: span attributes under
 * {@code aiprof.}, span events for individual incidents (a 12 ms runqueue wait), and values by
 * {@link Category} (time in ns, bytes, counts) for the phase-level metrics and tables. Not
 * thread-safe: one phase is described on one thread.
 */
public final class PhaseDescription {
  /** An incident inside the phase, exported as a span event. */
  public record Event(String name, long monoNs, Attributes attributes) {}

  private final AttributesBuilder attributes = Attributes.builder();
  private final List<Event> events = new ArrayList<>();
  private final Map<Category, Long> values = new EnumMap<>(Category.class);

  public <T> PhaseDescription attribute(AttributeKey<T> key, T value) {
    attributes.put(key, value);
    return this;
  }

  /**
   * Time the phase spent in a time category, in ns; added to what other signals said of it.
   *
   * @throws IllegalArgumentException when {@code category} is not a time
   */
  public PhaseDescription time(Category category, long ns) {
    if (!category.kind().isTime()) {
      throw new IllegalArgumentException(category + " is not a time category");
    }
    values.merge(category, ns, Long::sum);
    return this;
  }

  /**
   * Bytes or occurrences of an amount category; added to what other signals said of it.
   *
   * @throws IllegalArgumentException when {@code category} is a time
   */
  public PhaseDescription amount(Category category, long n) {
    if (category.kind().isTime()) {
      throw new IllegalArgumentException(category + " is a time category: use time()");
    }
    values.merge(category, n, Long::sum);
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

  /** Every category a signal gave a value, in the categories' order. */
  public Map<Category, Long> values() {
    return values.isEmpty() ? Map.of() : new EnumMap<>(values);
  }
}
