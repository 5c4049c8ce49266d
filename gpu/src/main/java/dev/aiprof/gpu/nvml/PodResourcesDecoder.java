package dev.aiprof.gpu.nvml;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the kubelet's {@code v1.ListPodResourcesResponse} (pod-resources API) into device
 * allocations: a pure function over the message's bytes, from our own field numbers:
 *
 * <pre>
 * ListPodResourcesResponse { repeated PodResources pod_resources = 1; }
 * PodResources            { string name = 1; string namespace = 2;
 *                           repeated ContainerResources containers = 3; }
 * ContainerResources      { string name = 1; repeated ContainerDevices devices = 2; ... }
 * ContainerDevices        { string resource_name = 1; repeated string device_ids = 2; ... }
 * </pre>
 *
 * Fields it does not know (CPU ids, memory, dynamic resources, topology) are skipped.
 */
final class PodResourcesDecoder {
  /** One device a container was allocated. */
  record Allocation(
      String namespace, String pod, String container, String resource, String deviceId) {}

  private PodResourcesDecoder() {}

  /** Every allocated device whose resource name starts with {@code resourcePrefix}. */
  static List<Allocation> decode(byte[] response, String resourcePrefix) throws IOException {
    List<Allocation> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(response);
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == field(1)) {
        pod(in.readBytes().newCodedInput(), resourcePrefix, out);
      } else {
        in.skipField(tag);
      }
    }
    return out;
  }

  private static void pod(CodedInputStream in, String prefix, List<Allocation> out)
      throws IOException {
    String name = "";
    String namespace = "";
    List<byte[]> containers = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag >>> 3) {
        case 1 -> name = in.readStringRequireUtf8();
        case 2 -> namespace = in.readStringRequireUtf8();
        case 3 -> containers.add(in.readByteArray());
        default -> in.skipField(tag);
      }
    }
    for (byte[] c : containers) {
      container(CodedInputStream.newInstance(c), namespace, name, prefix, out);
    }
  }

  private static void container(
      CodedInputStream in, String namespace, String pod, String prefix, List<Allocation> out)
      throws IOException {
    String name = "";
    List<byte[]> devices = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag >>> 3) {
        case 1 -> name = in.readStringRequireUtf8();
        case 2 -> devices.add(in.readByteArray());
        default -> in.skipField(tag);
      }
    }
    for (byte[] d : devices) {
      devices(CodedInputStream.newInstance(d), namespace, pod, name, prefix, out);
    }
  }

  private static void devices(
      CodedInputStream in,
      String namespace,
      String pod,
      String container,
      String prefix,
      List<Allocation> out)
      throws IOException {
    String resource = "";
    List<String> ids = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag >>> 3) {
        case 1 -> resource = in.readStringRequireUtf8();
        case 2 -> ids.add(in.readStringRequireUtf8());
        default -> in.skipField(tag);
      }
    }
    if (resource.startsWith(prefix)) {
      for (String id : ids) {
        out.add(new Allocation(namespace, pod, container, resource, id));
      }
    }
  }

  private static int field(int number) {
    return (number << 3) | 2; // length-delimited
  }
}
