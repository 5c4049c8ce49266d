package dev.aiprof.report.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stacks in Brendan Gregg's folded format ({@code root;...;leaf value}, one stack a line), summed
 * by stack. Bounded: at most {@link #MAX_STACKS} distinct stacks (the value of further ones is
 * counted in {@link #dropped}) of at most {@link #MAX_DEPTH} frames (deeper ones keep their root
 * end), each frame name held once (the profile collector writes at most 16,384 stacks a profile);
 * lines that are not {@code stack value} are counted in {@link #badLines}. Not thread-safe.
 */
public final class Folded {
  public static final int MAX_STACKS = 32_768;
  public static final int MAX_DEPTH = 512;

  private final Map<List<String>, Long> stacks = new LinkedHashMap<>();
  private final Map<String, String> frames = new java.util.HashMap<>();
  private long total;
  private long dropped;
  private long badLines;

  /** Adds the stacks of {@code text}. */
  public Folded add(String text) {
    text.lines().forEach(this::line);
    return this;
  }

  /** Adds the stacks of a file. */
  public Folded add(Path file) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        line(l);
      }
    }
    return this;
  }

  /** Adds every stack of {@code other}. */
  public Folded add(Folded other) {
    other.stacks.forEach(this::add);
    dropped += other.dropped;
    badLines += other.badLines;
    return this;
  }

  private void line(String l) {
    if (l.isBlank()) {
      return;
    }
    int sp = l.stripTrailing().lastIndexOf(' ');
    long v;
    try {
      v = sp <= 0 ? -1 : Long.parseLong(l.substring(sp + 1).strip());
    } catch (NumberFormatException e) {
      v = -1;
    }
    if (v < 0) {
      badLines++;
      return;
    }
    String[] f = l.substring(0, sp).split(";", -1);
    int n = Math.min(f.length, MAX_DEPTH);
    for (int i = 0; i < n; i++) {
      f[i] = frames.computeIfAbsent(f[i], k -> k);
    }
    add(List.copyOf(Arrays.asList(f).subList(0, n)), v);
  }

  private void add(List<String> stack, long v) {
    Long had = stacks.get(stack);
    if (had == null && stacks.size() >= MAX_STACKS) {
      dropped += v;
      return;
    }
    stacks.put(stack, had == null ? v : had + v);
    total += v;
  }

  /** Each stack, root first, with its summed value, in first-seen order. */
  public Map<List<String>, Long> stacks() {
    return stacks;
  }

  /** The sum of the values kept. */
  public long total() {
    return total;
  }

  /** The value of stacks beyond {@link #MAX_STACKS}. */
  public long dropped() {
    return dropped;
  }

  public long badLines() {
    return badLines;
  }
}
