package dev.aiprof.agent.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The recorded kubelet and API server responses in test-fixtures/.../resources/kubelet/. */
public final class Fixtures {
  /** The trainer pod of pods-containerd.json, and its main container's id. */
  public static final String TRAINER_UID = "3f6c2a7e-1b4d-4c8e-9a2f-5d7e8b9c0a1b";

  public static final String TRAINER_ID =
      "06ea17a8981d25b0315ff17bd1ebad3d95c15a3f8b764eaadb93612d9b61a54e";

  public static final String NODE = "gpu-node-1";

  private Fixtures() {}

  public static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/kubelet/" + name)) {
      if (in == null) {
        throw new IllegalStateException("fixture kubelet/" + name + " not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Pod> pods(String name) {
    try {
      return PodJson.podList(bytes(name)).pods();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The PodList {@code name} without the pod {@code uid}: the kubelet before that pod started. */
  static byte[] without(String name, String uid) {
    try {
      ObjectMapper m = new ObjectMapper();
      ObjectNode root = (ObjectNode) m.readTree(bytes(name));
      ArrayNode items = (ArrayNode) root.get("items");
      for (int i = items.size() - 1; i >= 0; i--) {
        if (items.get(i).path("metadata").path("uid").asText().equals(uid)) {
          items.remove(i);
        }
      }
      return m.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
