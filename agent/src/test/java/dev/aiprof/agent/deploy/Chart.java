package dev.aiprof.agent.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The repository's Helm chart ({@code deploy/helm/aiprof}) and plain manifests ({@code
 * deploy/kubernetes}), rendered through helm-java (Helm's own Go code) and read as YAML documents.
 * Stateless.
 */
final class Chart {
  static final String RELEASE = "aiprof";
  static final String NAMESPACE = "aiprof";
  private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

  private Chart() {}

  /** The repository's {@code deploy/} directory, found above the working directory. */
  static Path deploy() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("deploy/helm/aiprof"))
          && Files.exists(p.resolve("pom.xml"))) {
        return p.resolve("deploy");
      }
    }
    throw new AssertionError("no deploy/helm/aiprof above " + Path.of("").toAbsolutePath());
  }

  static Path chart() {
    return deploy().resolve("helm/aiprof");
  }

  /** {@code helm template aiprof deploy/helm/aiprof --namespace aiprof --set K=V...}. */
  static String template(Map<String, Object> set) {
    TemplateCommand t = new Helm(chart()).template().withName(RELEASE).withNamespace(NAMESPACE);
    set.forEach(t::set);
    return t.call();
  }

  /** The non-empty YAML documents of {@code text}. */
  static List<JsonNode> documents(String text) {
    List<JsonNode> out = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isMissingNode() && n.size() > 0) {
          out.add(n);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("parse YAML documents", e);
    }
    return out;
  }

  /** The documents of one file. */
  static List<JsonNode> documents(Path file) {
    try {
      return documents(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("read " + file, e);
    }
  }

  /** The one document of {@code kind}, if any. */
  static Optional<JsonNode> find(List<JsonNode> docs, String kind) {
    List<JsonNode> of = docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    if (of.size() > 1) {
      throw new AssertionError(of.size() + " documents of kind " + kind);
    }
    return of.stream().findFirst();
  }

  static JsonNode get(List<JsonNode> docs, String kind) {
    return find(docs, kind)
        .orElseThrow(() -> new AssertionError("no " + kind + " in " + kinds(docs)));
  }

  static List<String> kinds(List<JsonNode> docs) {
    return docs.stream().map(d -> d.path("kind").asText()).toList();
  }

  /** The DaemonSet's one container. */
  static JsonNode container(List<JsonNode> docs) {
    JsonNode c =
        get(docs, "DaemonSet").path("spec").path("template").path("spec").path("containers");
    if (c.size() != 1) {
      throw new AssertionError("the DaemonSet has " + c.size() + " containers, expected 1");
    }
    return c.get(0);
  }

  /** As JSON text, for the schema checker. */
  static String json(List<JsonNode> docs) {
    try {
      return new ObjectMapper().writeValueAsString(docs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode object() {
    return YAML.createObjectNode();
  }
}
