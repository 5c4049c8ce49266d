package dev.aiprof.agent.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's container as the rendered DaemonSet describes it, laid out under a directory that
 * stands for the container's root: each volume mount becomes that path under the root (a host path
 * a link to the host's directory, a ConfigMap its files, the projected service-account volume a
 * token and CA, an emptyDir a directory), the arguments get the downward-API variables the kubelet
 * would expand ({@code $(NODE_NAME)}, {@code $(POD_IP)}) and every path under a mount moved under
 * the root. Immutable once built.
 *
 * @param args the container's arguments, ready to run
 * @param env the container's environment (downward API resolved)
 * @param mounts mount path to where it lies under the root
 */
record DaemonSetPod(List<String> args, Map<String, String> env, Map<String, Path> mounts) {
  private static final Pattern VAR = Pattern.compile("\\$\\(([A-Z_][A-Z0-9_]*)\\)");

  /**
   * Lays out the container of {@code docs} under {@code root}.
   *
   * @param fields the downward-API values: {@code spec.nodeName}, {@code status.podIP}...
   * @param token the service-account token's text
   * @param caFile the cluster CA the projected volume carries
   */
  static DaemonSetPod layout(
      List<JsonNode> docs, Path root, Map<String, String> fields, String token, Path caFile) {
    JsonNode c = Chart.container(docs);
    JsonNode pod = Chart.get(docs, "DaemonSet").path("spec").path("template").path("spec");
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : c.path("env")) {
      String field = e.path("valueFrom").path("fieldRef").path("fieldPath").asText(null);
      String v = field != null ? fields.get(field) : e.path("value").asText();
      if (v == null) {
        throw new AssertionError("no value for the downward-API field " + field);
      }
      env.put(e.path("name").asText(), v);
    }
    Map<String, JsonNode> volumes = new LinkedHashMap<>();
    pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
    Map<String, Path> mounts = new LinkedHashMap<>();
    try {
      for (JsonNode m : c.path("volumeMounts")) {
        String at = m.path("mountPath").asText();
        Path there = root.resolve(at.substring(1));
        JsonNode v = volumes.get(m.path("name").asText());
        if (v == null) {
          throw new AssertionError("mount " + at + " names no volume");
        }
        Files.createDirectories(there.getParent());
        if (v.has("hostPath")) {
          Files.createSymbolicLink(there, Path.of(v.path("hostPath").path("path").asText()));
        } else if (v.has("configMap")) {
          Files.createDirectories(there);
          JsonNode data = configMap(docs, v.path("configMap").path("name").asText());
          for (var f : data.properties()) {
            Files.writeString(there.resolve(f.getKey()), f.getValue().asText());
          }
        } else if (v.has("projected")) {
          Files.createDirectories(there);
          for (JsonNode s : v.path("projected").path("sources")) {
            if (s.has("serviceAccountToken")) {
              Files.writeString(
                  there.resolve(s.path("serviceAccountToken").path("path").asText()), token);
            }
            for (JsonNode item : s.path("configMap").path("items")) {
              Files.copy(caFile, there.resolve(item.path("path").asText()));
            }
          }
        } else if (v.has("emptyDir")) {
          Files.createDirectories(there);
        } else {
          throw new AssertionError("volume kind of " + v + " not laid out");
        }
        mounts.put(at, there);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("lay out the container under " + root, e);
    }
    List<String> args = new ArrayList<>();
    for (JsonNode a : c.path("args")) {
      args.add(underRoot(expand(a.asText(), env), mounts));
    }
    return new DaemonSetPod(List.copyOf(args), Map.copyOf(env), Map.copyOf(mounts));
  }

  private static JsonNode configMap(List<JsonNode> docs, String name) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals("ConfigMap"))
        .filter(d -> d.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap " + name))
        .path("data");
  }

  /** {@code $(VAR)} as the kubelet expands it from the container's environment. */
  static String expand(String arg, Map<String, String> env) {
    Matcher m = VAR.matcher(arg);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    return m.appendTail(out).toString();
  }

  /** A path in an argument ({@code --flag=PATH} or {@code --set=key=PATH}) under a mount. */
  static String underRoot(String arg, Map<String, Path> mounts) {
    int eq = arg.lastIndexOf('=');
    String value = arg.substring(eq + 1);
    return mounts.entrySet().stream()
        .sorted(
            Comparator.comparingInt((Map.Entry<String, Path> e) -> e.getKey().length()).reversed())
        .filter(e -> value.equals(e.getKey()) || value.startsWith(e.getKey() + "/"))
        .findFirst()
        .map(e -> arg.substring(0, eq + 1) + e.getValue() + value.substring(e.getKey().length()))
        .orElse(arg);
  }
}
