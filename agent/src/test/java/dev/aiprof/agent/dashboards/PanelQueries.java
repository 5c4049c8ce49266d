package dev.aiprof.agent.dashboards;

import dev.aiprof.testing.prometheus.PromAnswer;
import dev.aiprof.testing.prometheus.PrometheusClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs dashboards' queries against Prometheus the way Grafana would: template variables substituted
 * ({@link Templating}), a range query over the window for time series and heatmaps, an instant
 * query at its end for {@code instant} targets, and each value of the repeat variable for a
 * repeated panel whose variable is at All. A query passes when Prometheus answers success with at
 * least one series and one finite value (something a panel can draw). Stateless but for counts.
 */
final class PanelQueries {
  private static final Pattern LABEL_VALUES =
      Pattern.compile(
          "^\\s*label_values\\(\\s*(.*)\\s*,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$",
          Pattern.DOTALL);

  private final PrometheusClient prometheus;
  private final Instant start;
  private final Instant end;
  private final Duration step;
  private final Set<String> oneShotPhases;
  private int queries;
  private int oneShotInstances;

  PanelQueries(PrometheusClient prometheus, Instant start, Instant end, Duration step) {
    this.prometheus = prometheus;
    this.start = start;
    this.end = end;
    this.step = step;
    this.oneShotPhases = oneShotPhases();
  }

  /** Phases no pod has completed more than once: their rates cannot exist yet. */
  private Set<String> oneShotPhases() {
    PromAnswer a =
        prometheus.query(
            "max by (aiprof_phase_name) (aiprof_phase_duration_seconds_count{aiprof_workload!=\"\"}) <= 1",
            end);
    Set<String> out = new TreeSet<>();
    a.result().forEach(s -> out.add(s.path("metric").path("aiprof_phase_name").asText()));
    return out;
  }

  /** Panel instances of one-shot phases, which were only required to answer successfully. */
  String oneShots() {
    return oneShotInstances + " panel instances of one-shot phases " + oneShotPhases;
  }

  /** Queries run so far. */
  int queries() {
    return queries;
  }

  /** The values a query variable offers under {@code t} (its {@code label_values} query). */
  List<String> variableValues(Dashboard.Variable v, Templating t) {
    Matcher m = LABEL_VALUES.matcher(v.query());
    if (!m.matches()) {
      throw new AssertionError(
          "variable " + v.name() + " is not label_values(selector, label): " + v.query());
    }
    queries++;
    return prometheus.labelValues(m.group(2), t.apply(m.group(1)));
  }

  /** Problems of every target of every panel of {@code d} under {@code t}; empty when all pass. */
  List<String> problems(Dashboard d, String binding, Templating t) {
    List<String> problems = new ArrayList<>();
    for (Dashboard.Panel p : d.panels()) {
      List<Templating> instances;
      try {
        instances = repeats(d, p, t);
      } catch (AssertionError | RuntimeException e) {
        problems.add(d.name() + ", " + p + " [" + binding + "]: " + e.getMessage());
        continue;
      }
      for (Templating each : instances) {
        boolean oneShot =
            p.repeat().equals("phase")
                && oneShotPhases.containsAll(each.values().getOrDefault("phase", List.of("-")));
        oneShotInstances += oneShot ? 1 : 0;
        for (Dashboard.Target target : p.targets()) {
          String problem = check(target, each, oneShot);
          if (problem != null) {
            problems.add(
                d.name()
                    + ", "
                    + p
                    + ", query "
                    + target.refId()
                    + " ["
                    + binding
                    + ": "
                    + each
                    + "]: "
                    + problem
                    + "\n      "
                    + target.expr().replace("\n", " "));
          }
        }
      }
    }
    return problems;
  }

  /** The answer of one target under {@code t}. */
  PromAnswer run(Dashboard.Target target, Templating t) {
    String expr = t.apply(target.expr());
    queries++;
    return target.instant()
        ? prometheus.query(expr, end)
        : prometheus.queryRange(expr, start, end, step);
  }

  private String check(Dashboard.Target target, Templating t, boolean oneShot) {
    PromAnswer a;
    try {
      a = run(target, t);
    } catch (RuntimeException e) {
      return e.toString();
    }
    if (oneShot && a.ok()) {
      return null;
    }
    if (!a.ok() || a.series() == 0 || !a.hasFiniteValue()) {
      return a.ok() && a.series() > 0 ? a + " (all NaN or Inf)" : a.toString();
    }
    return null;
  }

  /** One templating per panel instance: each value of the repeat variable when it is at All. */
  private List<Templating> repeats(Dashboard d, Dashboard.Panel p, Templating t) {
    if (p.repeat().isEmpty() || !t.values().getOrDefault(p.repeat(), List.of()).isEmpty()) {
      return List.of(t);
    }
    List<Templating> out = new ArrayList<>();
    for (String value : variableValues(d.variable(p.repeat()), t)) {
      out.add(t.with(p.repeat(), value));
    }
    if (out.isEmpty()) {
      throw new AssertionError(d.name() + ", " + p + ": $" + p.repeat() + " has no values yet");
    }
    return out;
  }

  /** Built-in variables for a window: rate interval, step, and the window itself. */
  static Map<String, String> builtins(Duration rateInterval, Duration step, Duration range) {
    return Map.of(
        "__rate_interval", rateInterval.toSeconds() + "s",
        "__interval", step.toSeconds() + "s",
        "__range", Math.max(1, range.toSeconds()) + "s");
  }
}
