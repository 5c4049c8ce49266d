package dev.aiprof.bpf.sched;

import static dev.aiprof.bpf.sched.SchedAbi.EVENT;
import static dev.aiprof.bpf.sched.SchedAbi.offset;

import dev.aiprof.bpf.RawMemory;

/**
 * A reusable view of one {@code struct sched_event} in ring-buffer memory: {@link #at} points it at
 * a record, the getters read the fields in place. No allocation per event; valid only inside the
 * ring-buffer callback that supplied the address. Not thread-safe.
 *
 * <p>The episode: the thread left the CPU at {@link #offcpuTs}, became runnable at {@link
 * #runnableTs} and got a CPU again at {@link #oncpuTs} (kernel monotonic nanoseconds).
 */
public final class SchedEventView {
  public static final int SIZE = (int) EVENT.byteSize();
  private static final long CGROUP_ID = offset(EVENT, "cgroup_id");
  private static final long CGROUP_V1_ID = offset(EVENT, "cgroup_v1_id");
  private static final long OFFCPU_TS = offset(EVENT, "offcpu_ts");
  private static final long RUNNABLE_TS = offset(EVENT, "runnable_ts");
  private static final long ONCPU_TS = offset(EVENT, "oncpu_ts");
  private static final long STEAL_NS = offset(EVENT, "steal_ns");
  private static final long PID = offset(EVENT, "pid");
  private static final long TID = offset(EVENT, "tid");
  private static final long WAKER_PID = offset(EVENT, "waker_pid");
  private static final long WAKER_TID = offset(EVENT, "waker_tid");
  private static final long KIND = offset(EVENT, "kind");
  private static final long FLAGS = offset(EVENT, "flags");
  private static final long CPU = offset(EVENT, "cpu");

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
    return OffCpuKind.ofCode(RawMemory.u8(base + KIND));
  }

  /**
   * Whether the thread's process was followed when the episode ended: then every episode of it is
   * reported, not only long ones.
   */
  public boolean followed() {
    return (RawMemory.u8(base + FLAGS) & SchedAbi.EVENT_FOLLOWED) != 0;
  }

  /**
   * Whether the kernel did not trace this episode's switch-in: {@link #oncpuTs} was rebuilt from
   * the kernel's own accounting of the slice that followed it.
   */
  public boolean rebuilt() {
    return (RawMemory.u8(base + FLAGS) & SchedAbi.EVENT_REBUILT) != 0;
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
