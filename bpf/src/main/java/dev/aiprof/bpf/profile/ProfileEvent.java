package dev.aiprof.bpf.profile;

import static dev.aiprof.bpf.CType.S32;
import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static dev.aiprof.bpf.profile.ProfileAbi.EVENT_STRUCT;

import dev.aiprof.bpf.RawMemory;

/**
 * One {@code struct profile_event}, copied out of ring-buffer memory ({@link #at}): an on-CPU
 * sample or a long off-CPU episode, with the ids of its stacks in the probe's stack map (negative:
 * -errno, no stack). Immutable.
 *
 * @param timestampNs on-CPU: the sample; off-CPU: the switch-in that ended the episode
 *     (CLOCK_MONOTONIC)
 * @param offNs off-CPU: the episode's length; on-CPU: 0
 * @param state off-CPU: the task-state bits it left in (1 sleeping, 2 blocked)
 * @param stackGeneration on-CPU: the stack-map generation whose map holds its stacks ({@link
 *     ProfileProbe#stack(int, int)}); off-CPU: 0
 * @param userIps an off-CPU event's user stack, innermost first (its stacks come inline: {@link
 *     #inline()}); null for an on-CPU one, whose stacks are in the stack map
 * @param kernelIps likewise, its kernel stack
 */
public record ProfileEvent(
    long timestampNs,
    long offNs,
    long cgroupId,
    int pid,
    int tid,
    int userStack,
    int kernelStack,
    ProfileKind kind,
    boolean followed,
    int state,
    int cpu,
    int stackGeneration,
    long[] userIps,
    long[] kernelIps) {
  public static final int SIZE = (int) ProfileAbi.EVENT.byteSize();
  private static final long TS = EVENT_STRUCT.offset("ts", U64);
  private static final long OFF = EVENT_STRUCT.offset("off_ns", U64);
  private static final long CGROUP = EVENT_STRUCT.offset("cgroup_id", U64);
  private static final long PID = EVENT_STRUCT.offset("pid", U32);
  private static final long TID = EVENT_STRUCT.offset("tid", U32);
  private static final long USTACK = EVENT_STRUCT.offset("user_stack", S32);
  private static final long KSTACK = EVENT_STRUCT.offset("kernel_stack", S32);
  private static final long KIND = EVENT_STRUCT.offset("kind", U8);
  private static final long FLAGS = EVENT_STRUCT.offset("flags", U8);
  private static final long STATE = EVENT_STRUCT.offset("state", U8);
  private static final long CPU = EVENT_STRUCT.offset("cpu", U8);
  private static final long GEN = EVENT_STRUCT.offset("stack_gen", U32);

  /** Decodes the event at {@code address} (ring-buffer memory, valid in the callback only). */
  public static ProfileEvent at(long address) {
    int flags = RawMemory.u8(address + FLAGS);
    boolean inline = (flags & ProfileAbi.FLAG_INLINE) != 0;
    int user = RawMemory.u32(address + USTACK);
    int kernel = RawMemory.u32(address + KSTACK);
    return new ProfileEvent(
        RawMemory.u64(address + TS),
        RawMemory.u64(address + OFF),
        RawMemory.u64(address + CGROUP),
        RawMemory.u32(address + PID),
        RawMemory.u32(address + TID),
        user,
        kernel,
        ProfileKind.ofCode(RawMemory.u8(address + KIND)),
        (flags & ProfileAbi.FLAG_FOLLOWED) != 0,
        RawMemory.u8(address + STATE),
        RawMemory.u8(address + CPU),
        RawMemory.u32(address + GEN),
        inline ? ips(address + ProfileAbi.OFFCPU_USER, user) : null,
        inline ? ips(address + ProfileAbi.OFFCPU_KERNEL, kernel) : null);
  }

  /** Whether the stacks came with the event ({@link #userIps()}, {@link #kernelIps()}). */
  public boolean inline() {
    return userIps != null;
  }

  private static long[] ips(long address, int count) {
    int n = Math.clamp(count, 0, ProfileAbi.STACK_DEPTH);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = RawMemory.u64(address + 8L * i);
    }
    return out;
  }
}
