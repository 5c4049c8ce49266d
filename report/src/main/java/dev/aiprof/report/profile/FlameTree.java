package dev.aiprof.report.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A flame graph's tree: the root (every stack) and below it each frame, with its total (the value
 * of the stacks it is on, at this place in the tree) and self (the stacks it ends). Children are
 * sorted by name, so the same stacks give the same tree whatever their order. Built by {@link #of};
 * immutable.
 */
public record FlameTree(Node root, int nodes) {
  /** A frame at one place in the tree. */
  public record Node(String name, long total, long self, List<Node> children) {}

  /** The label of the root. */
  public static final String ROOT = "all";

  /** The tree of {@code stacks}. */
  public static FlameTree of(Folded stacks) {
    Mutable root = new Mutable(ROOT);
    for (Map.Entry<List<String>, Long> e : stacks.stacks().entrySet()) {
      long v = e.getValue();
      Mutable n = root;
      n.total += v;
      for (String f : e.getKey()) {
        n = n.children.computeIfAbsent(f, Mutable::new);
        n.total += v;
      }
      n.self += v;
    }
    return new FlameTree(root.freeze(), root.count());
  }

  /**
   * This tree with at most {@code maxNodes} nodes: the widest are kept (a node's parent is at least
   * as wide, so it is kept first); a kept node whose children were cut keeps its total, the cut
   * part shows as the gap beside its kept children.
   */
  public FlameTree pruned(int maxNodes) {
    if (nodes <= maxNodes) {
      return this;
    }
    List<long[]> order = new ArrayList<>(); // {total, depth, serial}
    List<Node> byId = new ArrayList<>();
    collect(root, 0, order, byId);
    order.sort(
        Comparator.<long[]>comparingLong(a -> -a[0])
            .thenComparingLong(a -> a[1])
            .thenComparingLong(a -> a[2]));
    java.util.Set<Node> keep =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (int i = 0; i < maxNodes && i < order.size(); i++) {
      keep.add(byId.get((int) order.get(i)[2]));
    }
    return new FlameTree(copy(root, keep), keep.size());
  }

  private static void collect(Node n, int depth, List<long[]> order, List<Node> byId) {
    order.add(new long[] {n.total(), depth, byId.size()});
    byId.add(n);
    for (Node c : n.children()) {
      collect(c, depth + 1, order, byId);
    }
  }

  private static Node copy(Node n, java.util.Set<Node> keep) {
    List<Node> kids = new ArrayList<>();
    for (Node c : n.children()) {
      if (keep.contains(c)) {
        kids.add(copy(c, keep));
      }
    }
    return new Node(n.name(), n.total(), n.self(), List.copyOf(kids));
  }

  /** The node at {@code path} below the root (frame names, root first), or null. */
  public Node find(List<String> path) {
    Node n = root;
    for (String f : path) {
      Node next = null;
      for (Node c : n.children()) {
        if (c.name().equals(f)) {
          next = c;
          break;
        }
      }
      if (next == null) {
        return null;
      }
      n = next;
    }
    return n;
  }

  /**
   * The value of the stacks that contain a frame named {@code name} (each stack counted once,
   * however often the frame recurs in it).
   */
  public long totalOf(String name) {
    long sum = 0;
    for (Node c : root.children()) {
      sum += totalOf(c, name);
    }
    return sum;
  }

  private static long totalOf(Node n, String name) {
    if (n.name().equals(name)) {
      return n.total();
    }
    long sum = 0;
    for (Node c : n.children()) {
      sum += totalOf(c, name);
    }
    return sum;
  }

  private static final class Mutable {
    final String name;
    final Map<String, Mutable> children = new LinkedHashMap<>();
    long total;
    long self;

    Mutable(String name) {
      this.name = name;
    }

    int count() {
      int n = 1;
      for (Mutable c : children.values()) {
        n += c.count();
      }
      return n;
    }

    Node freeze() {
      List<Node> kids = new ArrayList<>();
      children.values().stream()
          .sorted(Comparator.comparing(m -> m.name))
          .forEach(m -> kids.add(m.freeze()));
      return new Node(name, total, self, List.copyOf(kids));
    }
  }
}
