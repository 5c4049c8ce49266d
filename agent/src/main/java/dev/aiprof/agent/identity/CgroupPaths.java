package dev.aiprof.agent.identity;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads workload identity out of cgroup paths (pure). Recognised forms, innermost wins:
 *
 * <ul>
 *   <li>systemd cgroup driver: {@code
 *       /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_with_underscores>.slice/cri-containerd-<id>.scope}
 *       (also {@code crio-<id>.scope}, {@code docker-<id>.scope}, the guaranteed class without a
 *       QoS level, and kind's {@code kubelet-kubepods-...} nesting);
 *   <li>cgroupfs driver: {@code /kubepods/besteffort/pod<uid>/<id>}, {@code
 *       /kubepods/pod<uid>/crio-<id>};
 *   <li>Docker and Podman outside Kubernetes: {@code /docker/<id>}, {@code
 *       /system.slice/docker-<id>.scope}, {@code /machine.slice/libpod-<id>.scope};
 *   <li>systemd units: {@code /system.slice/nginx.service}, {@code
 *       /user.slice/user-0.slice/session-3.scope}.
 * </ul>
 *
 * A container anywhere in the path wins over a unit; {@code crio-conmon-<id>} and {@code
 * libpod-conmon-<id>} are the runtime's monitor, not the container.
 */
public final class CgroupPaths {
  private static final String HEX64 = "[0-9a-f]{64}";
  private static final Pattern PREFIXED =
      Pattern.compile("(cri-containerd|crio|docker|libpod)-(" + HEX64 + ")(?:\\.scope)?");
  private static final Pattern CONMON =
      Pattern.compile("(?:crio|libpod)-conmon-" + HEX64 + "(?:\\.scope)?");
  private static final Pattern BARE = Pattern.compile(HEX64);
  private static final Pattern POD =
      Pattern.compile(
          "(?:[a-z0-9-]*-)?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}"
              + "|[0-9a-f]{32})(?:\\.slice)?");
  private static final Pattern UNIT = Pattern.compile("[^/]+\\.(?:service|scope)");

  private CgroupPaths() {}

  /** The owner of the cgroup at {@code path} (relative to its hierarchy's root, "/..."). */
  public static CgroupOwner owner(String path) {
    String[] seg = path.split("/");
    for (int i = seg.length - 1; i >= 0; i--) {
      if (CONMON.matcher(seg[i]).matches()) {
        return podAbove(seg, i).<CgroupOwner>map(CgroupOwner.Pod::new).orElse(unit(seg));
      }
      Optional<CgroupOwner.Container> c = container(seg, i);
      if (c.isPresent()) {
        return c.get();
      }
    }
    Optional<String> pod = podAbove(seg, seg.length);
    return pod.isPresent() ? new CgroupOwner.Pod(pod.get()) : unit(seg);
  }

  /** Normalises a pod uid from a systemd slice name: underscores become dashes. */
  public static String podUid(String raw) {
    return raw.replace('_', '-');
  }

  private static Optional<CgroupOwner.Container> container(String[] seg, int i) {
    Matcher m = PREFIXED.matcher(seg[i]);
    if (m.matches()) {
      return Optional.of(
          new CgroupOwner.Container(
              m.group(2), Optional.of(runtime(m.group(1))), podAbove(seg, i)));
    }
    if (BARE.matcher(seg[i]).matches()) {
      Optional<String> runtime =
          i > 0 && seg[i - 1].equals("docker") ? Optional.of("docker") : Optional.empty();
      return Optional.of(new CgroupOwner.Container(seg[i], runtime, podAbove(seg, i)));
    }
    return Optional.empty();
  }

  private static String runtime(String prefix) {
    return switch (prefix) {
      case "cri-containerd" -> "containerd";
      case "crio" -> "cri-o";
      case "libpod" -> "podman";
      default -> prefix;
    };
  }

  /** The uid of the nearest pod cgroup above segment {@code below}. */
  private static Optional<String> podAbove(String[] seg, int below) {
    for (int i = below - 1; i >= 0; i--) {
      Matcher m = POD.matcher(seg[i]);
      if (m.matches()) {
        return Optional.of(podUid(m.group(1)));
      }
    }
    return Optional.empty();
  }

  private static CgroupOwner unit(String[] seg) {
    for (int i = seg.length - 1; i >= 0; i--) {
      if (UNIT.matcher(seg[i]).matches()) {
        return new CgroupOwner.SystemdUnit(seg[i]);
      }
    }
    return new CgroupOwner.Unknown();
  }
}
