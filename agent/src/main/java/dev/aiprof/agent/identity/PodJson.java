package dev.aiprof.agent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes Kubernetes JSON (pure): a PodList (the kubelet's {@code /pods}, the API server's LIST)
 * and the lines of a WATCH stream. Unknown fields are ignored; a pod without a uid is skipped.
 */
final class PodJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> STATUS_LISTS =
      List.of("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses");

  private PodJson() {}

  /**
   * A decoded PodList.
   *
   * @param pods the items
   * @param resourceVersion metadata.resourceVersion ("" from the kubelet)
   */
  public record PodList(List<Pod> pods, String resourceVersion) {}

  /**
   * One WATCH event.
   *
   * @param type ADDED, MODIFIED, DELETED, BOOKMARK or ERROR
   * @param pod the pod, for ADDED, MODIFIED and DELETED
   * @param resourceVersion the object's resourceVersion ("" for ERROR)
   * @param errorCode the Status code of an ERROR event (410: the resourceVersion is too old), else
   *     0
   */
  public record WatchEvent(String type, Optional<Pod> pod, String resourceVersion, int errorCode) {}

  /** Decodes a PodList. */
  public static PodList podList(byte[] json) throws IOException {
    JsonNode root = MAPPER.readTree(json);
    if (root == null || !root.path("items").isArray()) {
      throw new IOException("not a PodList: no items array");
    }
    List<Pod> pods = new ArrayList<>();
    for (JsonNode item : root.path("items")) {
      pod(item).ifPresent(pods::add);
    }
    return new PodList(pods, root.path("metadata").path("resourceVersion").asText(""));
  }

  /** Decodes one line of a WATCH stream. */
  public static WatchEvent watchEvent(String line) throws IOException {
    JsonNode root = MAPPER.readTree(line);
    if (root == null || !root.hasNonNull("type")) {
      throw new IOException("not a watch event: no type");
    }
    String type = root.path("type").asText();
    JsonNode object = root.path("object");
    if (type.equals("ERROR")) {
      return new WatchEvent(type, Optional.empty(), "", object.path("code").asInt(0));
    }
    String rv = object.path("metadata").path("resourceVersion").asText("");
    Optional<Pod> pod = type.equals("BOOKMARK") ? Optional.empty() : pod(object);
    return new WatchEvent(type, pod, rv, 0);
  }

  /** Decodes one Pod object; empty without a uid. */
  static Optional<Pod> pod(JsonNode p) {
    JsonNode meta = p.path("metadata");
    String uid = meta.path("uid").asText("");
    if (uid.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    meta.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<Pod.Container> containers = new ArrayList<>();
    for (String list : STATUS_LISTS) {
      for (JsonNode s : p.path("status").path(list)) {
        containers.add(container(s, list.equals("initContainerStatuses")));
      }
    }
    return Optional.of(
        new Pod(
            meta.path("name").asText(""),
            meta.path("namespace").asText(""),
            uid,
            labels,
            p.path("spec").path("nodeName").asText(""),
            containers));
  }

  private static Pod.Container container(JsonNode status, boolean init) {
    String[] id = splitContainerId(status.path("containerID").asText(""));
    return new Pod.Container(status.path("name").asText(""), id[1], id[0], init);
  }

  /** Splits {@code containerd://<id>} into {"containerd", "<id>"}; no scheme gives {"", text}. */
  static String[] splitContainerId(String containerId) {
    int sep = containerId.indexOf("://");
    return sep < 0
        ? new String[] {"", containerId}
        : new String[] {containerId.substring(0, sep), containerId.substring(sep + 3)};
  }
}
