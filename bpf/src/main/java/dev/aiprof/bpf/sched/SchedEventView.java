package dev.aiprof.bpf.sched;

import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static dev.aiprof.bpf.sched.SchedAbi.EVENT;
import static dev.aiprof.bpf.sched.SchedAbi.EVENT_STRUCT;

import dev.aiprof.bpf.RawMemory;

/**
 * A reusable view of one {@code struct sched_event} in ring-buffer memory: {@link #at} points it at
 * a record, the getters read the fields in place. No allocation per event; valid only inside the
 * ring-buffer callback that supplied the address. Not thread-safe.
 *
 * <p>Fields are read with the widths sched.h declares (checked when the class loads); unsigned
 * 32-bit fields come back as Java ints bit for bit ({@link Integer#toUnsignedLong} widens them),
 * unsigned bytes zero-extended.
 *
 * <p>The episode: the thread left the CPU at {@link #offcpuTs}, became runnable at {@link
 * #runnableTs} and got a CPU again at {@link #oncpuTs} (kernel monotonic nanoseconds).
 */
public final class SchedEventView {
  public static final int SIZE = (int) EVENT.byteSize();
  private static final long CGROUP_ID = EVENT_STRUCT.offset("cgroup_id", U64);
  private static final long CGROUP_V1_ID = EVENT_STRUCT.offset("cgroup_v1_id", U64);
  private static final long OFFCPU_TS = EVENT_STRUCT.offset("offcpu_ts", U64);
  private static final long RUNNABLE_TS = EVENT_STRUCT.offset("runnable_ts", U64);
  private static final long ONCPU_TS = EVENT_STRUCT.offset("oncpu_ts", U64);
  private static final long STEAL_NS = EVENT_STRUCT.offset("steal_ns", U64);
  private static final long PID = EVENT_STRUCT.offset("pid", U32);
  private static final long TID = EVENT_STRUCT.offset("tid", U32);
  private static final long WAKER_PID = EVENT_STRUCT.offset("waker_pid", U32);
  private static final long WAKER_TID = EVENT_STRUCT.offset("waker_tid", U32);
  private static final long KIND = EVENT_STRUCT.offset("kind", U8);
  private static final long FLAGS = EVENT_STRUCT.offset("flags", U8);
  private static final long CPU = EVENT_STRUCT.offset("cpu", U32);

  private long base;

  public SchedEventView at(long address) {
    this.base = address;
    return this;
  }

  public long cgroupId() {
    return RawMemory.u64(base + CGROUP_ID);
  }

  public long cgroupV1Id() {
    return RawMemory.u64(base + CGROUP_V1_ID);
  }

  public long offcpuTs() {
    return RawMemory.u64(base + OFFCPU_TS);
  }

  public long runnableTs() {
    return RawMemory.u64(base + RUNNABLE_TS);
  }

  public long oncpuTs() {
    return RawMemory.u64(base + ONCPU_TS);
  }

  /**
   * Of the on-CPU slice that ended at {@link #offcpuTs}, the time the kernel's task clock did not
   * run: taken by the hypervisor (steal), or by interrupts on kernels that account IRQ time.
   */
  public long stealNs() {
    return RawMemory.u64(base + STEAL_NS);
  }

  public int pid() {
    return RawMemory.u32(base + PID);
  }

  public int tid() {
    return RawMemory.u32(base + TID);
  }

  public int wakerPid() {
    return RawMemory.u32(base + WAKER_PID);
  }

  public int wakerTid() {
    return RawMemory.u32(base + WAKER_TID);
  }

  public OffCpuKind kind() {
    return OffCpuKind.ofCode(kindCode());
  }

  /** The raw {@code kind} byte (enum sched_off_kind), 0 to 255. */
  public int kindCode() {
    return RawMemory.u8(base + KIND);
  }

  /** The raw {@code flags} byte (enum sched_event_flag bits), 0 to 255. */
  public int flags() {
    return RawMemory.u8(base + FLAGS);
  }

  /**
   * Whether the thread's process was followed when the episode ended: then every episode of it is
   * reported, not only long ones.
   */
  public boolean followed() {
    return (flags() & SchedAbi.EVENT_FOLLOWED) != 0;
  }

  /**
   * Whether the kernel did not trace this episode's switch-in: {@link #oncpuTs} was rebuilt from
   * the kernel's own accounting of the slice that followed it.
   */
  public boolean rebuilt() {
    return (flags() & SchedAbi.EVENT_REBUILT) != 0;
  }

  public int cpu() {
    return RawMemory.u32(base + CPU);
  }

  /** Time off-CPU before becoming runnable (0 when preempted). */
  public long offCpuNs() {
    return runnableTs() - offcpuTs();
  }

  /** Time waiting on a runqueue before getting the CPU. */
  public long runqueueNs() {
    return oncpuTs() - runnableTs();
  }
}
