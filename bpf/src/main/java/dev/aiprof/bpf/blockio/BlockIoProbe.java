package dev.aiprof.bpf.blockio;

import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.aiprof.bpf.BpfException;
import dev.aiprof.bpf.BpfLink;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.BpfProgram;
import dev.aiprof.bpf.Errno;
import dev.aiprof.bpf.Feature;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.FollowMaps;
import dev.aiprof.bpf.KernelTracepoints;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.UnsupportedFeatureException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The block I/O probe ({@code blockio.bpf.c}) loaded and attached: every block request from its
 * start to its completion, counted per (workload, disk, direction, origin) with log2 histograms of
 * queue and service time ({@link #series}), and requests of followed processes or slower than
 * {@link BlockIoConfig#slowNs} sent to a ring buffer ({@link BlockIoRequest}).
 *
 * <p>What it hooks is chosen at load by probing the kernel, never by version: the tp_btf variant
 * where BTF-typed tracepoints work, else raw_tp; {@code block_io_start} as the request's start
 * where the kernel has it, else {@code block_rq_insert}; {@code block_io_done} as its end where the
 * kernel has it, else {@code block_rq_complete}. Programs of the hooks not chosen are not loaded.
 *
 * <p>Given {@link FollowMaps} (the scheduler probe's), the probe reads its {@code followed} map:
 * the requests of followed processes' threads become events, for per-phase attribution.
 *
 * <p>Thread-safety: reads are safe from any thread; {@link #close} must come last.
 */
public final class BlockIoProbe implements AutoCloseable {
  /** Which program set is loaded. */
  public enum Variant {
    /** BTF-typed tracepoints (tp_btf). */
    TP_BTF,
    /** Raw tracepoints (raw_tp), for kernels without tp_btf. */
    RAW_TP
  }

  /** The hooks a probe attaches to, chosen by {@link #hooks}. */
  public record Hooks(String start, boolean done) {
    /** The tracepoints attached, in the order a request meets them. */
    public List<String> tracepoints() {
      List<String> t = new ArrayList<>(List.of(start, "block_rq_issue", "block_rq_complete"));
      if (done) {
        t.add("block_io_done");
      }
      return t;
    }
  }

  private static final long REQ_START = BlockIoAbi.REQ.offset("start_ts", U64);
  private static final long REQ_ISSUE = BlockIoAbi.REQ.offset("issue_ts", U64);
  private static final long REQ_PID = BlockIoAbi.REQ.offset("pid", U32);
  private static final long REQ_TID = BlockIoAbi.REQ.offset("tid", U32);
  private static final long REQ_FOLLOWED = BlockIoAbi.REQ.offset("followed", U8);
  private static final long KEY_CGROUP = BlockIoAbi.KEY.offset("cgroup_id", U64);
  private static final long KEY_CGROUP_V1 = BlockIoAbi.KEY.offset("cgroup_v1_id", U64);

  private final BpfObject obj;
  private final Variant variant;
  private final Hooks hooks;
  private final boolean follows;
  private final List<BpfLink> links = new ArrayList<>();
  private long restoredInflight;

  private BlockIoProbe(BpfObject obj, Variant variant, Hooks hooks, boolean follows) {
    this.obj = obj;
    this.variant = variant;
    this.hooks = hooks;
    this.follows = follows;
  }

  /** The best variant this host supports; throws when it supports none. */
  public static Variant chooseVariant(Features f) {
    f.require(Feature.RINGBUF);
    if (f.has(Feature.TP_BTF)) {
      return Variant.TP_BTF;
    }
    if (f.has(Feature.RAW_TP)) {
      return Variant.RAW_TP;
    }
    throw new UnsupportedFeatureException(
        Feature.RAW_TP, "neither tp_btf nor raw_tp works on this kernel");
  }

  /** The hooks this kernel has: block_io_start/done where present (its own BTF says). */
  public static Hooks hooks() {
    return new Hooks(
        KernelTracepoints.exists("block_io_start") ? "block_io_start" : "block_rq_insert",
        KernelTracepoints.exists("block_io_done"));
  }

  /** Loads and attaches the variant and hooks this host supports. */
  public static BlockIoProbe load(Features f, BlockIoConfig config, FollowMaps followInto) {
    return load(chooseVariant(f), hooks(), config, followInto);
  }

  /** Loads and attaches a given variant and hooks (tests use this to exercise each). */
  public static BlockIoProbe load(
      Variant variant, Hooks hooks, BlockIoConfig config, FollowMaps followInto) {
    BpfObject obj = BpfObject.openResource(BlockIoProbe.class, "blockio");
    BlockIoProbe probe = new BlockIoProbe(obj, variant, hooks, followInto != null);
    try {
      List<String> wanted = hooks.tracepoints().stream().map(BlockIoProbe::program).toList();
      String suffix = variant == Variant.TP_BTF ? "_btf" : "_raw";
      for (BpfProgram p : obj.programs()) {
        p.setAutoload(
            p.name().endsWith(suffix)
                && wanted.contains(p.name().substring(0, p.name().length() - 4)));
      }
      obj.map("inflight").setMaxEntries(config.inflightEntries());
      obj.map("stats").setMaxEntries(config.statsEntries());
      obj.map("events").setMaxEntries(config.ringBytes());
      obj.setConstant("wakeup_bytes", config.ringBytes() / 4);
      obj.setConstant("slow_ns", config.slowNs());
      obj.setConstant("finish_at_done", hooks.done());
      if (followInto != null) {
        obj.map("followed").reuse(followInto.followedMap());
        obj.map("follow_generation").reuse(followInto.followGenerationMap());
      }
      obj.load();
      for (String tp : hooks.tracepoints()) {
        BpfProgram p = obj.program(program(tp) + suffix);
        probe.links.add(variant == Variant.TP_BTF ? p.attachTrace() : p.attachRawTracepoint(tp));
      }
      return probe;
    } catch (RuntimeException e) {
      probe.close();
      throw e;
    }
  }

  /** The program (less its variant suffix) for a tracepoint. */
  private static String program(String tracepoint) {
    return switch (tracepoint) {
      case "block_io_start" -> "blockio_start";
      case "block_rq_insert" -> "blockio_insert";
      case "block_rq_issue" -> "blockio_issue";
      case "block_rq_complete" -> "blockio_complete";
      case "block_io_done" -> "blockio_done";
      default -> throw new IllegalArgumentException("no program for " + tracepoint);
    };
  }

  public Variant variant() {
    return variant;
  }

  public Hooks attachedHooks() {
    return hooks;
  }

  /** Whether requests of followed processes become events (the scheduler's maps were given). */
  public boolean followsInKernel() {
    return follows;
  }

  /** Every series counted since load. */
  public List<BlockIoSeries> series() {
    List<BlockIoSeries> out = new ArrayList<>();
    obj.map("stats").forEach(256, (k, v) -> out.add(BlockIoSeries.decode(k, v)));
    return out;
  }

  /** Requests in flight now (entries of the in-flight map). */
  public int inflight() {
    return obj.map("inflight").forEach(1024, (k, v) -> {});
  }

  /**
   * Deletes in-flight entries last touched (started or issued) before CLOCK_MONOTONIC {@code
   * beforeNs}: requests whose end the probe did not see (a flush sequence's own request, one lost
   * by a driver). Returns how many. A request that completes meanwhile is not counted, and one that
   * started at the same address since the scan keeps its entry ({@link InflightPrune}). One caller
   * at a time.
   */
  public synchronized int pruneInflight(long beforeNs) {
    try (Arena a = Arena.ofConfined()) {
      InflightPrune.Result r =
          InflightPrune.prune(new InflightEntries(obj.map("inflight"), a), beforeNs);
      restoredInflight += r.restored();
      return r.pruned();
    }
  }

  /** The in-flight map itself, for tests that write entries no request made. */
  BpfMap inflightMap() {
    return obj.map("inflight");
  }

  /** In-flight entries a prune took out and put back: requests that started during the prune. */
  public synchronized long restoredInflight() {
    return restoredInflight;
  }

  /** Every followed request in flight now, by its thread and when it started. */
  public List<InflightRequest> inflightRequests() {
    List<InflightRequest> out = new ArrayList<>();
    obj.map("inflight")
        .forEach(
            1024,
            (k, v) -> {
              if (v.get(JAVA_BYTE, REQ_FOLLOWED) != 0) {
                out.add(
                    new InflightRequest(
                        v.get(JAVA_INT, REQ_PID),
                        v.get(JAVA_INT, REQ_TID),
                        firstTouched(v.get(JAVA_LONG, REQ_START), v.get(JAVA_LONG, REQ_ISSUE))));
              }
            });
    return out;
  }

  /** A request's start as its event will say: its start, or its issue when its start was missed. */
  private static long firstTouched(long start, long issue) {
    return start != 0 ? start : issue;
  }

  /** The in-flight map, for {@link InflightPrune}. */
  private record InflightEntries(BpfMap m, Arena a) implements InflightPrune.Entries {
    @Override
    public List<Long> touchedBefore(long beforeNs) {
      List<Long> keys = new ArrayList<>();
      m.forEach(
          1024,
          (k, v) -> {
            if (lastTouched(v) < beforeNs) {
              keys.add(k.get(JAVA_LONG, 0));
            }
          });
      return keys;
    }

    @Override
    public byte[] take(long key) {
      MemorySegment k = a.allocateFrom(JAVA_LONG, key);
      MemorySegment v = a.allocate(m.valueBufferSize(), 8);
      try {
        if (!m.lookupAndDelete(k, v)) {
          return null;
        }
      } catch (BpfException e) {
        if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOTSUPP) {
          throw e;
        }
        // Before 5.14 hash maps cannot: look up, then delete (a new request's entry can be lost).
        if (!m.lookup(k, v) || !m.delete(k)) {
          return null;
        }
      }
      return v.asSlice(0, m.valueSize()).toArray(JAVA_BYTE);
    }

    @Override
    public long lastTouched(byte[] value) {
      return lastTouched(MemorySegment.ofArray(value));
    }

    private static long lastTouched(MemorySegment v) {
      return Math.max(v.get(JAVA_LONG_UNALIGNED, REQ_START), v.get(JAVA_LONG_UNALIGNED, REQ_ISSUE));
    }

    @Override
    public boolean restore(long key, byte[] value) {
      MemorySegment v = a.allocate(m.valueBufferSize(), 8);
      MemorySegment.copy(value, 0, v, JAVA_BYTE, 0, value.length);
      return m.insert(a.allocateFrom(JAVA_LONG, key), v);
    }
  }

  /**
   * Deletes every series of workload ({@code v2Id}, {@code v1Id}) (its cgroup was removed); returns
   * how many.
   */
  public int removeWorkload(long v2Id, long v1Id) {
    return removeWorkloads((v2, v1) -> v2 == v2Id && v1 == v1Id);
  }

  /** Which workloads {@link #removeWorkloads} deletes, by cgroup v2 and v1 id. */
  @FunctionalInterface
  public interface WorkloadTest {
    boolean test(long v2Id, long v1Id);
  }

  /** Deletes every series of the workloads {@code which} names, in one walk; returns how many. */
  public int removeWorkloads(WorkloadTest which) {
    return obj.map("stats")
        .deleteWhere(
            256,
            (k, v) -> which.test(k.get(JAVA_LONG, KEY_CGROUP), k.get(JAVA_LONG, KEY_CGROUP_V1)));
  }

  /**
   * The ring buffer of request events ({@link BlockIoRequest} records), to {@link
   * dev.aiprof.bpf.RingPoller#add} to a shared poller. Valid until {@link #close}: remove the ring
   * first.
   */
  public BpfMap events() {
    return obj.map("events");
  }

  /** One of the probe's health counters, summed over CPUs. */
  public long counter(BlockIoCounter c) {
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
