package dev.aiprof.agent.identity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A map bounded in size (least recently used entries go first) whose entries expire a set time
 * after they were put. Time comes from an injectable nanosecond clock.
 *
 * <p>Thread-safe (one lock; every operation is O(1) except {@link #removeIf}).
 */
final class ExpiringLru<K, V> {
  private record Slot<V>(V value, long expiresAt) {}

  private final int capacity;
  private final LongSupplier nanos;
  private final LinkedHashMap<K, Slot<V>> map;

  ExpiringLru(int capacity, LongSupplier nanos) {
    this.capacity = capacity;
    this.nanos = nanos;
    this.map =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, Slot<V>> eldest) {
            return size() > ExpiringLru.this.capacity;
          }
        };
  }

  /** The live value for {@code key}, or null (an expired entry is removed). */
  synchronized V get(K key) {
    Slot<V> e = map.get(key);
    if (e == null) {
      return null;
    }
    if (nanos.getAsLong() - e.expiresAt() >= 0) {
      map.remove(key);
      return null;
    }
    return e.value();
  }

  /** Puts {@code value}, live for {@code ttlNanos} from now. */
  synchronized void put(K key, V value, long ttlNanos) {
    map.put(key, new Slot<>(value, nanos.getAsLong() + ttlNanos));
  }

  synchronized void remove(K key) {
    map.remove(key);
  }

  /** Removes {@code key} only if it still maps to {@code value} (not replaced since). */
  synchronized void remove(K key, V value) {
    Slot<V> e = map.get(key);
    if (e != null && e.value() == value) {
      map.remove(key);
    }
  }

  /** Removes the expired entries; returns a copy of the live ones (recency order untouched). */
  synchronized Map<K, V> expireAndCopy() {
    long now = nanos.getAsLong();
    map.values().removeIf(e -> now - e.expiresAt() >= 0);
    Map<K, V> copy = new LinkedHashMap<>();
    map.forEach((k, e) -> copy.put(k, e.value()));
    return copy;
  }

  synchronized int size() {
    return map.size();
  }
}
