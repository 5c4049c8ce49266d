package dev.aiprof.bpf.sched;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.aiprof.bpf.BpfException;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.Errno;
import dev.aiprof.bpf.MappedArray;
import java.lang.foreign.Arena;

/**
 * The scheduler probe's side of {@code include/follow.h}: the {@code followed} map and the {@code
 * follow_generation} counter, mapped into this process so that a bump from here is one atomic add
 * on the page the programs bump too (phase.bpf.c's in-kernel follow does {@code
 * __sync_fetch_and_add}): neither side can lose the other's bump, so no task keeps a stale flag.
 *
 * <p>Created after load, closed before the object. Thread-safety: changes are serialized; counts
 * are safe from any thread.
 */
final class FollowedProcesses implements AutoCloseable {
  private final BpfMap followed;
  private final MappedArray generation;

  FollowedProcesses(BpfMap followed, BpfMap generation) {
    this.followed = followed;
    this.generation = MappedArray.of(generation);
  }

  /** Adds {@code pid}; false when {@code followed} is full (E2BIG) and does not have it yet. */
  synchronized boolean tryFollow(int pid) {
    try (Arena a = Arena.ofConfined()) {
      followed.update(
          a.allocateFrom(JAVA_INT, pid), a.allocateFrom(JAVA_BYTE, (byte) 1), BpfMap.ANY);
    } catch (BpfException e) {
      if (e.errno() == Errno.E2BIG) {
        return false;
      }
      throw e;
    }
    bump();
    return true;
  }

  synchronized void unfollow(int pid) {
    try (Arena a = Arena.ofConfined()) {
      followed.delete(a.allocateFrom(JAVA_INT, pid));
    }
    bump();
  }

  /** Processes in {@code followed} now, whoever added them (this side or a program). */
  int count() {
    return followed.forEach(1024, (k, v) -> {});
  }

  int capacity() {
    return followed.maxEntries();
  }

  /** The generation now. */
  int generation() {
    return generation.getInt(0);
  }

  /** One atomic add: tasks re-check their cached flag at their next switch. */
  void bump() {
    generation.getAndAddInt(0, 1);
  }

  @Override
  public void close() {
    generation.close();
  }
}
