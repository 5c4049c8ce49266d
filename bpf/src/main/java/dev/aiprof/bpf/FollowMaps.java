package dev.aiprof.bpf;

/**
 * The followed-process maps of {@code include/follow.h}: {@code followed} (tgid → 1: the processes
 * whose threads get per-thread statistics) and {@code follow_generation} (bumped after every change
 * to it, so tasks re-check their cached flag). One probe owns them (the scheduler probe); a probe
 * that follows processes from inside the kernel reuses both before load ({@link BpfMap#reuse}),
 * adds a tgid with BPF_NOEXIST and, when that add succeeded, bumps the generation with an atomic
 * add.
 *
 * <p>The maps are valid while their owner is open.
 */
public interface FollowMaps {
  /** The {@code followed} hash map (key: u32 tgid, value: u8). */
  BpfMap followedMap();

  /** The {@code follow_generation} array (one u32, BPF_F_MMAPABLE). */
  BpfMap followGenerationMap();
}
