package dev.aiprof.report.write;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiprof.report.profile.FlameDiff;
import dev.aiprof.report.profile.FlameTree;
import dev.aiprof.report.profile.Profiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The page's flame graphs: one per profile (kind, unit, phase name or the whole window), the
 * differential ones between the {@value #PAIRED_PHASES} widest phases of a kind two by two, and,
 * with a baseline run, between each profile and the baseline's of the same kind and phase. Frame
 * names are in one table ({@code names}); a graph's node is {@code [name, total, self,
 * [children]]}, a diff's {@code [name, a, b, delta, [children]]} (delta: the change of share, b's
 * minus a's). Bounded: {@value #MAX_NODES} nodes a graph, {@value #MAX_DIFF_NODES} a diff, the
 * narrowest cut ({@code cut} says how many).
 */
public final class FlamePage {
  static final int MAX_NODES = 3000;
  static final int MAX_DIFF_NODES = 1500;
  static final int PAIRED_PHASES = 6;

  private final Map<String, Integer> ids = new HashMap<>();
  private final ArrayNode names;
  private final ObjectNode root = PageData.JSON.createObjectNode();

  private FlamePage() {
    names = root.putArray("names");
  }

  /** The page's {@code flames} object; {@code baseline} may be {@link Profiles#NONE}. */
  public static ObjectNode of(Profiles run, Profiles baseline) {
    return new FlamePage().build(run, baseline);
  }

  private ObjectNode build(Profiles run, Profiles baseline) {
    root.put("source", Objects.toString(run.source(), "")).put("windows", run.windows());
    if (baseline.source() != null) {
      root.putObject("baseline")
          .put("source", baseline.source().toString())
          .put("windows", baseline.windows());
    } else {
      root.putNull("baseline");
    }
    ArrayNode graphs = root.putArray("graphs");
    Map<Profiles.Profile, FlameTree> trees = new HashMap<>();
    for (Profiles.Profile p : run.profiles()) {
      FlameTree t = FlameTree.of(p.stacks());
      trees.put(p, t);
      FlameTree kept = t.pruned(MAX_NODES);
      ObjectNode g = graphs.addObject();
      describe(g, p);
      g.put("total", t.root().total())
          .put("cut", t.nodes() - kept.nodes())
          .put("dropped", p.stacks().dropped())
          .put("badLines", p.stacks().badLines());
      g.set("tree", node(kept.root()));
    }
    ArrayNode diffs = root.putArray("diffs");
    pairs(run, trees, diffs);
    for (Profiles.Profile p : run.profiles()) {
      Profiles.Profile base = baseline.source() == null ? null : same(baseline, p);
      if (base != null) {
        ObjectNode d = diffs.addObject();
        describe(d, p);
        d.put("run", true).put("a", label(base.phase())).put("b", label(p.phase()));
        diff(d, FlameDiff.of(FlameTree.of(base.stacks()), trees.get(p)));
      }
    }
    return root;
  }

  /** Diffs between the widest phases of each kind and unit, two by two. */
  private void pairs(Profiles run, Map<Profiles.Profile, FlameTree> trees, ArrayNode diffs) {
    Map<String, List<Profiles.Profile>> byKind = new java.util.LinkedHashMap<>();
    for (Profiles.Profile p : run.profiles()) {
      if (p.phase() != null) {
        byKind.computeIfAbsent(p.kind() + "\u0000" + p.unit(), k -> new ArrayList<>()).add(p);
      }
    }
    for (List<Profiles.Profile> ps : byKind.values()) {
      List<Profiles.Profile> top = new ArrayList<>(ps);
      top.sort(
          Comparator.comparingLong((Profiles.Profile p) -> -p.stacks().total())
              .thenComparing(Profiles.Profile::phase));
      top = top.subList(0, Math.min(PAIRED_PHASES, top.size()));
      for (int i = 0; i < top.size(); i++) {
        for (int j = i + 1; j < top.size(); j++) {
          Profiles.Profile a = top.get(i);
          Profiles.Profile b = top.get(j);
          ObjectNode d = diffs.addObject();
          describe(d, a);
          d.remove("phase");
          d.put("run", false).put("a", a.phase()).put("b", b.phase());
          diff(d, FlameDiff.of(trees.get(a), trees.get(b)));
        }
      }
    }
  }

  private static Profiles.Profile same(Profiles baseline, Profiles.Profile p) {
    for (Profiles.Profile b : baseline.profiles()) {
      if (b.kind().equals(p.kind())
          && b.unit().equals(p.unit())
          && Objects.equals(b.phase(), p.phase())) {
        return b;
      }
    }
    return null;
  }

  private static String label(String phase) {
    return phase == null ? "" : phase;
  }

  private static void describe(ObjectNode o, Profiles.Profile p) {
    o.put("kind", p.kind()).put("unit", p.unit());
    if (p.phase() == null) {
      o.putNull("phase");
    } else {
      o.put("phase", p.phase());
    }
  }

  private void diff(ObjectNode d, FlameDiff full) {
    FlameDiff kept = full.pruned(MAX_DIFF_NODES);
    d.put("totalA", kept.totalA())
        .put("totalB", kept.totalB())
        .put("cut", full.nodes() - kept.nodes());
    d.set("tree", node(kept, kept.root()));
  }

  private int name(String n) {
    return ids.computeIfAbsent(
        n,
        k -> {
          names.add(k);
          return names.size() - 1;
        });
  }

  private ArrayNode node(FlameTree.Node n) {
    ArrayNode a = PageData.JSON.createArrayNode();
    a.add(name(n.name())).add(n.total()).add(n.self());
    ArrayNode kids = a.addArray();
    n.children().forEach(c -> kids.add(node(c)));
    return a;
  }

  private ArrayNode node(FlameDiff d, FlameDiff.Node n) {
    ArrayNode a = PageData.JSON.createArrayNode();
    a.add(name(n.name())).add(n.a()).add(n.b()).add(Math.round(d.delta(n) * 1e5) / 1e5);
    ArrayNode kids = a.addArray();
    n.children().forEach(c -> kids.add(node(d, c)));
    return a;
  }
}
