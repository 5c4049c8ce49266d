package dev.aiprof.report.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * A differential flame graph: two trees ({@code a}, the baseline, and {@code b}) merged by frame
 * path, each node with both values and the change of its share of its tree, {@code b/totalB −
 * a/totalA}. Shares, not values, so that two phases or runs of different lengths compare. A frame
 * only one tree has gets 0 in the other. Immutable.
 *
 * @param totalA the baseline's root value
 * @param totalB the other tree's root value
 */
public record FlameDiff(Node root, long totalA, long totalB, int nodes) {
  /** A frame path with its value in each tree. */
  public record Node(String name, long a, long b, List<Node> children) {}

  /** The merged tree of {@code a} (baseline) and {@code b}. */
  public static FlameDiff of(FlameTree a, FlameTree b) {
    int[] count = {0};
    Node root = merge(FlameTree.ROOT, a.root(), b.root(), count);
    return new FlameDiff(root, a.root().total(), b.root().total(), count[0]);
  }

  private static Node merge(String name, FlameTree.Node x, FlameTree.Node y, int[] count) {
    count[0]++;
    TreeMap<String, FlameTree.Node[]> kids = new TreeMap<>();
    if (x != null) {
      x.children().forEach(c -> kids.computeIfAbsent(c.name(), k -> new FlameTree.Node[2])[0] = c);
    }
    if (y != null) {
      y.children().forEach(c -> kids.computeIfAbsent(c.name(), k -> new FlameTree.Node[2])[1] = c);
    }
    List<Node> out = new ArrayList<>(kids.size());
    kids.forEach((k, v) -> out.add(merge(k, v[0], v[1], count)));
    return new Node(name, x == null ? 0 : x.total(), y == null ? 0 : y.total(), List.copyOf(out));
  }

  /** {@code n}'s share of the baseline. */
  public double shareA(Node n) {
    return totalA == 0 ? 0 : (double) n.a() / totalA;
  }

  /** {@code n}'s share of the other tree. */
  public double shareB(Node n) {
    return totalB == 0 ? 0 : (double) n.b() / totalB;
  }

  /** The change of {@code n}'s share from the baseline to the other tree, in [-1, 1]. */
  public double delta(Node n) {
    return shareB(n) - shareA(n);
  }

  /**
   * The largest share change of a frame named {@code name}, counting each stack once: the sum of
   * its outermost nodes' values in each tree, as shares, subtracted.
   */
  public double deltaOf(String name) {
    long[] ab = new long[2];
    for (Node c : root.children()) {
      sum(c, name, ab);
    }
    return (totalB == 0 ? 0 : (double) ab[1] / totalB)
        - (totalA == 0 ? 0 : (double) ab[0] / totalA);
  }

  private static void sum(Node n, String name, long[] ab) {
    if (n.name().equals(name)) {
      ab[0] += n.a();
      ab[1] += n.b();
      return;
    }
    for (Node c : n.children()) {
      sum(c, name, ab);
    }
  }

  /**
   * This diff with at most {@code maxNodes} nodes: those with the largest share in either tree (a
   * parent's is at least its child's, so parents are kept first).
   */
  public FlameDiff pruned(int maxNodes) {
    if (nodes <= maxNodes) {
      return this;
    }
    List<Node> all = new ArrayList<>();
    List<Integer> depth = new ArrayList<>();
    collect(root, 0, all, depth);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      order.add(i);
    }
    order.sort(
        Comparator.<Integer>comparingDouble(i -> -width(all.get(i)))
            .thenComparingInt(depth::get)
            .thenComparingInt(i -> i));
    Set<Node> keep = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < maxNodes; i++) {
      keep.add(all.get(order.get(i)));
    }
    return new FlameDiff(copy(root, keep), totalA, totalB, keep.size());
  }

  private double width(Node n) {
    return Math.max(shareA(n), shareB(n));
  }

  private static void collect(Node n, int d, List<Node> all, List<Integer> depth) {
    all.add(n);
    depth.add(d);
    for (Node c : n.children()) {
      collect(c, d + 1, all, depth);
    }
  }

  private static Node copy(Node n, Set<Node> keep) {
    List<Node> kids = new ArrayList<>();
    for (Node c : n.children()) {
      if (keep.contains(c)) {
        kids.add(copy(c, keep));
      }
    }
    return new Node(n.name(), n.a(), n.b(), List.copyOf(kids));
  }
}
