package dev.aiprof.agent.dashboards;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grafana's template variable interpolation for Prometheus queries, as far as the dashboards use
 * it: {@code $var}, {@code ${var}} and {@code [[var]]} become the variable's values formatted as
 * Grafana's Prometheus data source formats them for a regex matcher (each value regex-escaped,
 * several values as {@code (a|b)}, "All" as {@code .*}); the built-ins {@code $__rate_interval},
 * {@code $__interval} and {@code $__range} become the durations given. An unknown variable is an
 * error. Immutable.
 *
 * @param values each variable's selected values; an empty list means All
 * @param builtins values of Grafana's built-in variables, by name without the {@code $}
 */
record Templating(Map<String, List<String>> values, Map<String, String> builtins) {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)(?::\\w+)?]]");
  private static final Pattern REGEX_META = Pattern.compile("[\\\\^$.|?*+()\\[\\]{}]");

  Templating {
    values = Map.copyOf(values);
    builtins = Map.copyOf(builtins);
  }

  /** A copy with {@code name} set to the single value {@code value}. */
  Templating with(String name, String value) {
    Map<String, List<String>> v = new java.util.HashMap<>(values);
    v.put(name, List.of(value));
    return new Templating(v, builtins);
  }

  /**
   * The expression with every variable replaced.
   *
   * @throws IllegalArgumentException naming an unknown variable
   */
  String apply(String expr) {
    Matcher m = REFERENCE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      m.appendReplacement(out, Matcher.quoteReplacement(value(name, expr)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String value(String name, String expr) {
    if (builtins.containsKey(name)) {
      return builtins.get(name);
    }
    List<String> v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("unknown variable $" + name + " in " + expr);
    }
    if (v.isEmpty()) {
      return ".*";
    }
    List<String> escaped = v.stream().map(Templating::escape).toList();
    return escaped.size() == 1 ? escaped.getFirst() : "(" + String.join("|", escaped) + ")";
  }

  /** Regex metacharacters get a backslash, itself escaped for a PromQL double-quoted string. */
  static String escape(String value) {
    return REGEX_META.matcher(value).replaceAll(r -> Matcher.quoteReplacement("\\\\" + r.group()));
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    values.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                b.append(b.isEmpty() ? "" : ", ")
                    .append(e.getKey())
                    .append('=')
                    .append(e.getValue().isEmpty() ? "All" : String.join("|", e.getValue())));
    return b.toString();
  }
}
