package dev.aiprof.profiler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Symbolised stacks with their sample count and weight (ns): a phase's profile, a phase name's over
 * the window, or the whole window's. Each stack is its frame labels root first. Bounded: at most
 * {@code maxStacks} distinct stacks; samples of further ones go to one {@code [other]} stack
 * (counted in {@link #overflowed}). Not thread-safe.
 */
final class WeightedStacks {
  static final List<String> OTHER = List.of("[other]");

  /** A function's share: self (it is the leaf), total (it is on the stack). */
  record Function(String name, long selfSamples, long totalSamples) {}

  private final int maxStacks;
  private final LinkedHashMap<List<String>, long[]> stacks = new LinkedHashMap<>();
  private long samples;
  private long overflowed;

  WeightedStacks(int maxStacks) {
    this.maxStacks = maxStacks;
  }

  void add(List<String> rootFirst, long count, long weight) {
    long[] v = stacks.get(rootFirst);
    if (v == null) {
      if (stacks.size() >= maxStacks) {
        overflowed += count;
        rootFirst = OTHER;
        v = stacks.get(OTHER);
      }
      if (v == null) {
        v = new long[2];
        stacks.put(rootFirst, v);
      }
    }
    v[0] += count;
    v[1] += weight;
    samples += count;
  }

  void addAll(WeightedStacks other) {
    other.stacks.forEach((k, v) -> add(k, v[0], v[1]));
  }

  long samples() {
    return samples;
  }

  long overflowed() {
    return overflowed;
  }

  boolean isEmpty() {
    return stacks.isEmpty();
  }

  /** Each stack with {count, weight}, in first-seen order. */
  Map<List<String>, long[]> stacks() {
    return stacks;
  }

  /** The {@code n} functions with the most self samples (and at least one). */
  List<Function> topSelf(int n) {
    List<Function> f =
        top(Integer.MAX_VALUE, Comparator.comparingLong(Function::selfSamples).reversed());
    List<Function> out = f.stream().filter(x -> x.selfSamples() > 0).toList();
    return out.subList(0, Math.min(n, out.size()));
  }

  /** The {@code n} functions with the most total samples. */
  List<Function> topTotal(int n) {
    return top(n, Comparator.comparingLong(Function::totalSamples).reversed());
  }

  private List<Function> top(int n, Comparator<Function> order) {
    Map<String, long[]> byName = new HashMap<>();
    for (Map.Entry<List<String>, long[]> e : stacks.entrySet()) {
      List<String> s = e.getKey();
      long c = e.getValue()[0];
      byName.computeIfAbsent(s.getLast(), k -> new long[2])[0] += c;
      for (String f : new java.util.HashSet<>(s)) {
        byName.computeIfAbsent(f, k -> new long[2])[1] += c;
      }
    }
    List<Function> all = new ArrayList<>();
    byName.forEach((k, v) -> all.add(new Function(k, v[0], v[1])));
    all.sort(order.thenComparing(Function::name));
    return all.subList(0, Math.min(n, all.size()));
  }

  /** Brendan Gregg's folded format: {@code root;...;leaf count} per line. */
  String folded() {
    return folded(false);
  }

  /**
   * The folded format with each stack's weight in microseconds (at least 1) instead of its count:
   * off-CPU profiles, where a stack's time matters, not how many episodes it had.
   */
  String foldedMicros() {
    return folded(true);
  }

  private String folded(boolean micros) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<List<String>, long[]> e : stacks.entrySet()) {
      for (int i = 0; i < e.getKey().size(); i++) {
        if (i > 0) {
          b.append(';');
        }
        b.append(e.getKey().get(i).replace(';', ':').replace(' ', '_'));
      }
      long v = micros ? Math.max(1, e.getValue()[1] / 1000) : e.getValue()[0];
      b.append(' ').append(v).append('\n');
    }
    return b.toString();
  }
}
