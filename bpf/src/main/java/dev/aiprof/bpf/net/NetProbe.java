package dev.aiprof.bpf.net;

import static dev.aiprof.bpf.CType.U64;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.aiprof.bpf.BpfLink;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.BpfProgram;
import dev.aiprof.bpf.Feature;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.FollowMaps;
import dev.aiprof.bpf.KernelTracepoints;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.UnsupportedFeatureException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The TCP probe ({@code net.bpf.c}) loaded and attached: tp_btf programs on the socket state
 * changes, retransmits and the bytes sendmsg/recvmsg return, keeping per-socket state ({@link
 * NetSocket}), per-workload totals of closed sockets ({@link NetWorkload}), the endpoints that
 * retransmitted or were slow ({@link NetPeer}) and, for threads of followed processes, traffic per
 * time slot ({@link NetSlot}) that {@link #drainEnded} hands over and deletes.
 *
 * <p>Programs are chosen by probing: each is loaded only when the kernel's BTF has its tracepoint
 * ({@link KernelTracepoints}); {@code sock_send_length}/{@code sock_recv_length} (Linux 6.3) are
 * optional and without them bytes are not counted ({@link #countsBytes}). Given {@link FollowMaps}
 * (the scheduler probe's), the programs read its {@code followed} map; without, no thread is
 * followed.
 *
 * <p>Thread-safety: reads are safe from any thread; {@link #drainEnded} must have one caller at a
 * time; {@link #close} must come last and detaches everything.
 */
public final class NetProbe implements AutoCloseable {
  /** Program name → tracepoint, in attach order. */
  static final Map<String, String> HOOKS = new LinkedHashMap<>();

  static {
    HOOKS.put("net_state", "inet_sock_set_state");
    HOOKS.put("net_retransmit", "tcp_retransmit_skb");
    HOOKS.put("net_send", "sock_send_length");
    HOOKS.put("net_recv", "sock_recv_length");
  }

  private static final List<String> REQUIRED = List.of("net_state", "net_retransmit");

  private final BpfObject obj;
  private final NetConfig config;
  private final List<String> attached;
  private final List<BpfLink> links = new ArrayList<>();

  private NetProbe(BpfObject obj, NetConfig config, List<String> attached) {
    this.obj = obj;
    this.config = config;
    this.attached = attached;
  }

  /** Loads with no followed processes. */
  public static NetProbe load(Features features, NetConfig config) {
    return load(features, config, null, KernelTracepoints::exists);
  }

  /** Loads, reading {@code followInto}'s followed map when it is not null, and attaches. */
  public static NetProbe load(Features features, NetConfig config, FollowMaps followInto) {
    return load(features, config, followInto, KernelTracepoints::exists);
  }

  /**
   * Loads the programs whose tracepoint {@code kernelHas} and attaches them. Throws {@link
   * UnsupportedFeatureException} without tp_btf or task storage, or when the state-change or
   * retransmit tracepoint is missing.
   */
  static NetProbe load(
      Features features, NetConfig config, FollowMaps followInto, Predicate<String> kernelHas) {
    features.require(Feature.TP_BTF);
    features.require(Feature.TASK_STORAGE);
    for (String p : REQUIRED) {
      if (!kernelHas.test(HOOKS.get(p))) {
        throw new UnsupportedFeatureException(
            Feature.TP_BTF, "the kernel has no tracepoint " + HOOKS.get(p) + " (Linux 4.16)");
      }
    }
    BpfObject obj = BpfObject.openResource(NetProbe.class, "net");
    NetProbe probe = null;
    try {
      List<String> chosen = new ArrayList<>();
      for (Map.Entry<String, String> h : HOOKS.entrySet()) {
        boolean on = kernelHas.test(h.getValue());
        obj.program(h.getKey()).setAutoload(on);
        if (on) {
          chosen.add(h.getValue());
        }
      }
      obj.map("socks").setMaxEntries(config.socketEntries());
      obj.map("peers").setMaxEntries(config.peerEntries());
      obj.setConstant("slot_shift", config.slotShift());
      obj.setConstant("slow_rtt_us", config.slowRttUs());
      if (followInto != null) {
        obj.map("followed").reuse(followInto.followedMap());
        obj.map("follow_generation").reuse(followInto.followGenerationMap());
      } else {
        obj.map("followed").setMaxEntries(1);
      }
      obj.load();
      probe = new NetProbe(obj, config, List.copyOf(chosen));
      for (BpfProgram p : obj.programs()) {
        if (p.autoload()) {
          probe.links.add(p.attachTrace());
        }
      }
      return probe;
    } catch (RuntimeException e) {
      if (probe != null) {
        probe.close();
      } else {
        obj.close();
      }
      throw e;
    }
  }

  public NetConfig config() {
    return config;
  }

  /** The tracepoints attached, in order. */
  public List<String> tracepoints() {
    return attached;
  }

  /** Whether bytes sent and received are counted (the kernel has sock_send/recv_length). */
  public boolean countsBytes() {
    return attached.contains("sock_send_length") && attached.contains("sock_recv_length");
  }

  /** Every live TCP socket the probe tracks. */
  public List<NetSocket> sockets() {
    List<NetSocket> out = new ArrayList<>();
    obj.map("socks").forEach(1024, (k, v) -> out.add(NetSocket.decode(k, v)));
    return out;
  }

  /** Every workload's totals of closed sockets. */
  public List<NetWorkload> workloads() {
    List<NetWorkload> out = new ArrayList<>();
    obj.map("cgroup_stats").forEach(256, (k, v) -> out.add(NetWorkload.decode(k, v)));
    return out;
  }

  /** Every (workload, endpoint) that retransmitted or was slow. */
  public List<NetPeer> peers() {
    List<NetPeer> out = new ArrayList<>();
    obj.map("peers").forEach(256, (k, v) -> out.add(NetPeer.decode(k, v)));
    return out;
  }

  /** Deletes peers not updated since {@code ns} (CLOCK_MONOTONIC); returns how many. */
  public int forgetPeers(long ns) {
    return obj.map("peers").deleteWhere(256, (k, v) -> NetPeer.decode(k, v).lastNs() < ns);
  }

  /** The slot that holds CLOCK_MONOTONIC time {@code ns}. */
  public long slotOf(long ns) {
    return ns >>> config.slotShift();
  }

  /**
   * Hands every followed thread's entry of a slot before {@code beforeSlot} to {@code sink} and
   * deletes it; returns how many. Pass {@code slotOf(now) - 1} so that a program that took its slot
   * just before a boundary has finished with it.
   */
  public int drainEnded(long beforeSlot, Consumer<NetSlot> sink) {
    List<NetSlot> ended = new ArrayList<>();
    obj.map("thread_slots")
        .deleteWhere(
            256,
            (k, v) -> {
              NetSlot s = NetSlot.decode(k, v);
              if (s.slot() >= beforeSlot) {
                return false;
              }
              ended.add(s);
              return true;
            });
    ended.forEach(sink);
    return ended.size();
  }

  /**
   * Deletes the closed-socket totals of workload ({@code v2Id}, {@code v1Id}) (its cgroup was
   * removed); false if it had none.
   */
  public boolean removeWorkload(long v2Id, long v1Id) {
    BpfMap m = obj.map("cgroup_stats");
    try (Arena a = Arena.ofConfined()) {
      MemorySegment key = a.allocate(NetAbi.CGROUP_KEY.layout());
      key.set(JAVA_LONG, NetAbi.CGROUP_KEY.offset("cgroup_id", U64), v2Id);
      key.set(JAVA_LONG, NetAbi.CGROUP_KEY.offset("cgroup_v1_id", U64), v1Id);
      return m.delete(key);
    }
  }

  /** One of the probe's health counters, summed over CPUs. */
  public long counter(NetCounter c) {
    return obj.map("counters").sumPerCpu(c.index());
  }

  /** The kernel's accounting of the loaded programs (counts while RunTimeStats is on). */
  public List<ProgramStats> programStats() {
    return obj.programs().stream().filter(BpfProgram::autoload).map(BpfProgram::stats).toList();
  }

  @Override
  public synchronized void close() {
    links.forEach(BpfLink::close);
    links.clear();
    obj.close();
  }
}
