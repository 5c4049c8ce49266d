package dev.aiprof.profiler;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The profile probe's two stack maps seen from user space: which generation new stacks go to, the
 * stacks read so far per map, and when a map may be emptied.
 *
 * <p>The kernel writes new stacks into the map of the current generation (its parity) and stamps
 * each event with that generation. When the current map holds {@code moveAt} stacks known here,
 * {@link #advance} moves the generation on: new stacks go to the other map, which is empty. The
 * previous map is still read (events that name it are still arriving), and emptied at the first
 * {@code advance} after the ring was drained past the move by {@code graceNs}: the kernel reads the
 * generation after it reserves its event, so by then every event of the previous generation has
 * been handed on (and taken, since the caller takes the queue before it calls {@code advance}).
 * Only then can the generation move again. So a stack is never freed while an event that names it
 * is on its way, and an id is never read in a map that another generation refilled: an event of any
 * other generation ({@link #expired()}, which the protocol makes impossible unless an event was
 * held back longer than the grace) gets no stack rather than a wrong one.
 *
 * <p>Bounds: at most the two maps' entries are cached. Not thread-safe: the collector's lock.
 */
final class StackGenerations {
  /** The probe's side: reads, emptying and the generation selector. */
  interface Maps {
    /** Stack {@code id} of the map of {@code generation}'s parity; empty when it holds none. */
    long[] read(int generation, int id);

    /** Empties the map of {@code generation}'s parity. */
    void clear(int generation);

    /** Makes new stacks go to {@code generation}'s map. */
    void select(int generation);
  }

  private final Maps maps;
  private final int moveAt;
  private final long graceNs;
  private final LongSupplier clock;

  @SuppressWarnings("unchecked")
  private final Map<Integer, long[]>[] read = new Map[] {new HashMap<>(), new HashMap<>()};

  private int current;
  private boolean previousInUse;
  private long movedAt;
  private long moves;
  private long expired;

  /**
   * @param moveAt stacks known in the current map at which the generation moves on
   * @param graceNs how far past the move the ring must be drained before the previous map is
   *     emptied (covers a store of the generation still on its way to other CPUs)
   * @param clock CLOCK_MONOTONIC nanoseconds, the ring watermark's clock
   */
  StackGenerations(Maps maps, int moveAt, long graceNs, LongSupplier clock) {
    if (moveAt < 1) {
      throw new IllegalArgumentException("moveAt must be positive, was " + moveAt);
    }
    this.maps = maps;
    this.moveAt = moveAt;
    this.graceNs = graceNs;
    this.clock = clock;
  }

  /** The generation new stacks go to. */
  int current() {
    return current;
  }

  /**
   * The frames of stack {@code id} of an event of {@code generation}: {@link Stack#NONE} for a
   * negative id, for one the map does not hold, and ({@link #expired()}) for a generation whose map
   * is no longer the one it wrote.
   */
  long[] frames(int generation, int id) {
    if (id < 0) {
      return Stack.NONE;
    }
    if (!holds(generation)) {
      expire();
      return Stack.NONE;
    }
    return read[generation & 1].computeIfAbsent(id, i -> maps.read(generation, i));
  }

  /** Whether the map of {@code generation}'s parity still holds that generation's stacks. */
  boolean holds(int generation) {
    return generation == current || (previousInUse && generation == current - 1);
  }

  /** Counts an event whose generation's map no longer holds its stacks. */
  void expire() {
    expired++;
  }

  /**
   * Moves the generation on, or empties the previous one's map: call after every event handed on
   * before {@code drainedUntil} (the ring's watermark, read before the queue was taken) has been
   * taken; right after emptying, the generation may move on again at once. Returns the generation
   * whose map was emptied (its stacks are gone: drop what was interned of it), or -1.
   */
  int advance(long drainedUntil) {
    if (previousInUse) {
      if (drainedUntil <= movedAt + graceNs) {
        return -1;
      }
      int previous = current - 1;
      maps.clear(previous);
      read[previous & 1].clear();
      previousInUse = false;
      moveIfFull();
      return previous;
    }
    moveIfFull();
    return -1;
  }

  /** Moves the generation on when the current map holds {@code moveAt} known stacks. */
  private void moveIfFull() {
    if (read[current & 1].size() >= moveAt) {
      current++;
      maps.select(current);
      movedAt = clock.getAsLong(); // after the selector is written
      previousInUse = true;
      moves++;
    }
  }

  /** Times the generation moved on. */
  long moves() {
    return moves;
  }

  /** Stack ids of events whose generation's map had been emptied or reused (none expected). */
  long expired() {
    return expired;
  }
}
