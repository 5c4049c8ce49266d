package dev.aiprof.api.sandbox;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.ProcCgroups;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * sandboxes (a scan that reached it counted in {@link #dropped()}). Only a sandbox's main host
 * process is kept: gVisor's Sentry ({@code runsc-sandbox}), or a micro-VM's VMM. Thread-safe
 * (lookups synchronize; a scan runs on the caller's thread).
 *
 * <p>A span that names neither is matched by its connection's origin ({@link #byConnection}): the
 * socket whose local end is the sender's address and port is looked up in the TCP table of each
 * sandbox's network namespace ({@code /proc/PID/net/tcp}, {@code tcp6}), and a sandbox matches when
 * its main process holds that socket ({@code /proc/PID/fd}, at most {@link #MAX_FDS} read): so
 * gVisor with host networking ({@code runsc --network=host}, in the host's or a pod's network
 * namespace), whose Sentry opens the guest's sockets on the host. Failing that, a sandbox in a
 * network namespace of its own matches when the sender's address is one of that namespace's ({@code
 * net/fib_trie}, {@code net/if_inet6}; never a loopback address or one the agent's own namespace
 * has): a guest whose TCP the host does not run. Answers are kept per connection for {@link
 * #CONNECTION_TTL_NS}, at most {@link #MAX_CONNECTIONS} (the oldest evicted).
 */
public final class SandboxDirectory {
  /** Processes looked at in one scan, at most. */
  public static final int MAX_PROCESSES = 65_536;

  /** Sandboxes kept, at most. */
  public static final int MAX_SANDBOXES = 256;

  /** The least time between two scans. */
  public static final long RESCAN_NS = 1_000_000_000L;

  /** Connections whose origin is kept, at most (about 200 bytes each). */
  public static final int MAX_CONNECTIONS = 1024;

  /** How long a connection's origin is kept before it is looked up again. */
  public static final long CONNECTION_TTL_NS = 5_000_000_000L;

  /** Descriptors of one sandbox process read in one lookup, at most. */
  public static final int MAX_FDS = 65_536;

  /** {@code aiprof.sandbox.matched_by} of a span matched by its connection's origin. */
  public static final String BY_CONNECTION = "connection";

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

  private record Origin(long at, Optional<Match> match) {}

  private final HostPaths paths;
  private final LongSupplier nanos;
  private Map<String, Found> byContainer = Map.of();
  private Map<String, Found> byPod = Map.of();
  private List<Found> all = List.of();
  private final LinkedHashMap<String, Origin> connections =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Origin> e) {
          return size() > MAX_CONNECTIONS;
        }
      };
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

  /**
   * The sandbox a connection comes from: the one whose main host process holds the socket with
   * local end {@code peer} and remote end {@code local} (the receiver's end). Empty for a
   * connection from anything else, or when either address is unknown.
   *
   * @param peer the sender's address and port, as the receiver sees it
   * @param local the receiver's address and port of that connection
   */
  public synchronized Optional<Match> byConnection(
      InetSocketAddress peer, InetSocketAddress local) {
    if (peer == null || local == null || peer.getAddress() == null || local.getAddress() == null) {
      return Optional.empty();
    }
    long now = nanos.getAsLong();
    String key = peer + ">" + local;
    Origin o = connections.get(key);
    if (o != null && now - o.at() < CONNECTION_TTL_NS) {
      return o.match();
    }
    Optional<Match> m = holder(peer, local);
    if (m.isEmpty() && (lastScan == Long.MIN_VALUE || now - lastScan >= RESCAN_NS)) {
      lastScan = now;
      scan();
      m = holder(peer, local);
    }
    connections.put(key, new Origin(now, m));
    return m;
  }

  private Optional<Match> holder(InetSocketAddress peer, InetSocketAddress local) {
    Map<String, Long> inodeByNetns = new HashMap<>();
    for (Found f : all) {
      String pid = Integer.toString(f.hostPid());
      String ns = netns(pid);
      String netns = ns == null ? "pid " + pid : ns; // unreadable: look at its own table
      long inode = inodeByNetns.computeIfAbsent(netns, n -> socketInode(paths, pid, peer, local));
      if (inode > 0 && holds(paths, pid, inode)) {
        return Optional.of(new Match(f.hostPid(), f.sandbox(), BY_CONNECTION));
      }
    }
    return byAddress(peer, inodeByNetns.keySet());
  }

  /**
   * The sandbox in another network namespace that has {@code peer}'s address as its own: a guest
   * whose TCP the host's kernel does not run (gVisor's netstack, a micro-VM's guest kernel) comes
   * from its pod's address. Never a loopback address or one the agent's own namespace has: those
   * name no one sandbox.
   */
  private Optional<Match> byAddress(InetSocketAddress peer, Set<String> netnsSeen) {
    if (peer.getAddress().isLoopbackAddress() || netnsSeen.isEmpty()) {
      return Optional.empty();
    }
    String self = netns("self");
    if (localAddresses("self").contains(peer.getAddress())) {
      return Optional.empty();
    }
    for (Found f : all) {
      String pid = Integer.toString(f.hostPid());
      String ns = netns(pid);
      if (ns != null && !ns.equals(self) && localAddresses(pid).contains(peer.getAddress())) {
        return Optional.of(new Match(f.hostPid(), f.sandbox(), BY_CONNECTION));
      }
    }
    return Optional.empty();
  }

  private String netns(String pid) {
    try {
      return Files.readSymbolicLink(paths.proc(pid, "ns", "net")).toString();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Set<InetAddress> localAddresses(String pid) {
    return SocketTable.localAddresses(
        read(paths.proc(pid, "net", "fib_trie")), read(paths.proc(pid, "net", "if_inet6")));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** The inode of the socket {@code local → remote} in {@code pid}'s network namespace, or -1. */
  static long socketInode(
      HostPaths paths, String pid, InetSocketAddress local, InetSocketAddress remote) {
    for (String table : List.of("tcp", "tcp6")) {
      try {
        long inode =
            SocketTable.inode(Files.readString(paths.proc(pid, "net", table)), local, remote);
        if (inode >= 0) {
          return inode;
        }
      } catch (IOException | RuntimeException e) {
        // no such table (no IPv6) or the process is gone
      }
    }
    return -1;
  }

  /** Whether {@code pid} has a descriptor for socket {@code inode} (at most MAX_FDS read). */
  static boolean holds(HostPaths paths, String pid, long inode) {
    String want = "socket:[" + inode + "]";
    int n = 0;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(paths.proc(pid, "fd"))) {
      for (Path fd : fds) {
        if (++n > MAX_FDS) {
          return false;
        }
        try {
          if (Files.readSymbolicLink(fd).toString().equals(want)) {
            return true;
          }
        } catch (IOException | RuntimeException e) {
          // closed meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  /** Scans that reached {@link #MAX_SANDBOXES} and may have left some out. */
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

  /**
   * A sandbox's main host process as a scan found it.
   *
   * @param hostPid the Sentry's or VMM's pid
   * @param sandbox what it is
   * @param containerId the container id its cgroup names, if any
   * @param podUid the pod uid its cgroup names, if any
   */
  public record Entry(
      int hostPid, Sandbox sandbox, Optional<String> containerId, Optional<String> podUid) {}

  /**
   * Every sandbox's main host process now, at most {@link #MAX_SANDBOXES}; reads at most {@link
   * #MAX_PROCESSES} processes. Empty if {@code /proc} cannot be listed.
   */
  public static List<Entry> scan(HostPaths paths) {
    List<Entry> out = new ArrayList<>();
    int seen = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(paths.procfs(), "[0-9]*")) {
      for (Path p : dir) {
        if (++seen > MAX_PROCESSES || out.size() >= MAX_SANDBOXES) {
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
        List<String> cgroups =
            ProcCgroups.read(paths, pid).map(ProcCgroups::candidates).orElse(List.of());
        Optional<String> id = Optional.empty();
        Optional<String> uid = Optional.empty();
        for (String path : cgroups) {
          id = id.or(() -> containerId(path));
          uid = uid.or(() -> podUid(path));
        }
        out.add(new Entry(pid, s.get(), id, uid));
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return out;
  }

  private void scan() {
    List<Entry> found = scan(paths);
    if (found.size() >= MAX_SANDBOXES) {
      dropped++;
    }
    Map<String, Found> containers = new HashMap<>();
    Map<String, Found> pods = new HashMap<>();
    for (Entry e : found) {
      Found f = new Found(e.hostPid(), e.sandbox());
      e.containerId().ifPresent(id -> containers.putIfAbsent(id, f));
      e.podUid().ifPresent(uid -> pods.putIfAbsent(uid, f));
    }
    byContainer = Map.copyOf(containers);
    byPod = Map.copyOf(pods);
    all = found.stream().map(e -> new Found(e.hostPid(), e.sandbox())).toList();
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
