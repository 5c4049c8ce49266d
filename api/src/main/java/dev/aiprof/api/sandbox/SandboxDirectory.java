package dev.aiprof.api.sandbox;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.ProcCgroups;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandboxes running on this host, by the container id and pod uid their host processes' cgroup
 * paths name: how a span sent from inside a sandbox (whose {@code process.pid} is a pid of the
 * sandbox's own namespace, meaningless on the host) is matched to its pod by its resource
 * attributes {@code container.id} or {@code k8s.pod.uid}, never by pid.
 *
 * <p>A lookup that misses rescans {@code /proc}, at most once per {@link #RESCAN_NS}; a scan reads
 * at most {@link #MAX_PROCESSES} processes' cmdline and keeps at most {@link #MAX_SANDBOXES}
 * sandboxes (the rest counted in {@link #dropped()}). Only a sandbox's main host process is kept:
 * gVisor's Sentry ({@code runsc-sandbox}), or a micro-VM's VMM. Thread-safe (lookups synchronize; a
 * scan runs on the caller's thread).
 */
public final class SandboxDirectory {
  /** Processes looked at in one scan, at most. */
  public static final int MAX_PROCESSES = 65_536;

  /** Sandboxes kept, at most. */
  public static final int MAX_SANDBOXES = 256;

  /** The least time between two scans. */
  public static final long RESCAN_NS = 1_000_000_000L;

  private static final Pattern CONTAINER_ID = Pattern.compile("([0-9a-f]{64})(?:\\.scope)?$");
  private static final Pattern POD_UID =
      Pattern.compile(
          "pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})");

  /**
   * A sandbox's main host process.
   *
   * @param hostPid the Sentry's or VMM's pid on the host
   * @param sandbox what it is
   * @param matchedBy {@code container.id} or {@code k8s.pod.uid}: the resource attribute that named
   *     it
   */
  public record Match(int hostPid, Sandbox sandbox, String matchedBy) {}

  private record Found(int hostPid, Sandbox sandbox) {}

  private final HostPaths paths;
  private final LongSupplier nanos;
  private Map<String, Found> byContainer = Map.of();
  private Map<String, Found> byPod = Map.of();
  private long lastScan = Long.MIN_VALUE;
  private long dropped;

  public SandboxDirectory(HostPaths paths, LongSupplier nanos) {
    this.paths = paths;
    this.nanos = nanos;
  }

  /**
   * The sandbox named by a span's resource attributes: its container id first, then its pod uid.
   *
   * @param containerId {@code container.id}, or null
   * @param podUid {@code k8s.pod.uid}, or null
   */
  public synchronized Optional<Match> find(String containerId, String podUid) {
    if (containerId == null && podUid == null) {
      return Optional.empty();
    }
    Optional<Match> m = lookup(containerId, podUid);
    if (m.isPresent()) {
      return m;
    }
    long now = nanos.getAsLong();
    if (lastScan != Long.MIN_VALUE && now - lastScan < RESCAN_NS) {
      return Optional.empty();
    }
    lastScan = now;
    scan();
    return lookup(containerId, podUid);
  }

  /** Sandboxes left out of a scan for {@link #MAX_SANDBOXES}. */
  public synchronized long dropped() {
    return dropped;
  }

  /** The container id a cgroup path ends in (64 hex digits), if any (pure). */
  public static Optional<String> containerId(String cgroupPath) {
    Matcher m = CONTAINER_ID.matcher(cgroupPath);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The pod uid a kubepods cgroup path names, with dashes, if any (pure). */
  public static Optional<String> podUid(String cgroupPath) {
    Matcher m = POD_UID.matcher(cgroupPath);
    return m.find() ? Optional.of(m.group(1).replace('_', '-')) : Optional.empty();
  }

  private Optional<Match> lookup(String containerId, String podUid) {
    Found f = containerId == null ? null : byContainer.get(containerId.toLowerCase());
    if (f != null) {
      return Optional.of(new Match(f.hostPid(), f.sandbox(), "container.id"));
    }
    f = podUid == null ? null : byPod.get(podUid.toLowerCase());
    return f == null
        ? Optional.empty()
        : Optional.of(new Match(f.hostPid(), f.sandbox(), "k8s.pod.uid"));
  }

  private void scan() {
    Map<String, Found> containers = new HashMap<>();
    Map<String, Found> pods = new HashMap<>();
    int seen = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(paths.procfs(), "[0-9]*")) {
      for (Path p : dir) {
        if (++seen > MAX_PROCESSES) {
          break;
        }
        int pid;
        try {
          pid = Integer.parseInt(p.getFileName().toString());
        } catch (NumberFormatException e) {
          continue;
        }
        Optional<ProcNode> node = ProcTree.node(paths, pid);
        if (node.isEmpty() || !mainProcess(node.get().program())) {
          continue;
        }
        Optional<Sandbox> s = ProcTree.sandboxOf(paths, pid);
        if (s.isEmpty() || !(s.get().role().equals("sandbox") || s.get().role().equals("vmm"))) {
          continue;
        }
        if (containers.size() + pods.size() >= MAX_SANDBOXES) {
          dropped++;
          continue;
        }
        Found f = new Found(pid, s.get());
        List<String> cgroups =
            ProcCgroups.read(paths, pid).map(ProcCgroups::candidates).orElse(List.of());
        for (String path : cgroups) {
          containerId(path).ifPresent(id -> containers.putIfAbsent(id, f));
          podUid(path).ifPresent(uid -> pods.putIfAbsent(uid, f));
        }
      }
    } catch (IOException | RuntimeException e) {
      // /proc unreadable: keep what the last scan found
      return;
    }
    byContainer = Map.copyOf(containers);
    byPod = Map.copyOf(pods);
  }

  private static boolean mainProcess(String program) {
    return program.equals("runsc-sandbox")
        || program.equals("runsc")
        || program.startsWith("qemu")
        || program.equals("cloud-hypervisor")
        || program.equals("firecracker")
        || program.equals("dragonball");
  }
}
