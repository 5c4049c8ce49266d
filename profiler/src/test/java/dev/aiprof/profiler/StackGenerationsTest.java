package dev.aiprof.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackGenerationsTest {
  /** Two maps as the kernel keeps them, and what the reader did to them. */
  private static final class FakeMaps implements StackGenerations.Maps {
    @SuppressWarnings("unchecked")
    final Map<Integer, long[]>[] maps = new Map[] {new HashMap<>(), new HashMap<>()};

    final List<String> calls = new ArrayList<>();
    int selected;

    /** The kernel writes stack {@code id} (one frame, {@code ip}) into the selected map. */
    void write(int id, long ip) {
      maps[selected & 1].put(id, new long[] {ip});
    }

    @Override
    public long[] read(int generation, int id) {
      calls.add("read " + generation + " " + id);
      return maps[generation & 1].getOrDefault(id, Stack.NONE);
    }

    @Override
    public void clear(int generation) {
      calls.add("clear " + generation);
      maps[generation & 1].clear();
    }

    @Override
    public void select(int generation) {
      calls.add("select " + generation);
      selected = generation;
    }
  }

  private long now = 1_000;
  private final FakeMaps maps = new FakeMaps();
  private final StackGenerations g = new StackGenerations(maps, 2, 10, () -> now);

  @Test
  void movesOnAtTheThresholdAndEmptiesThePreviousMapOnlyOnceDrainedPastTheMove() {
    maps.write(1, 0x11);
    maps.write(2, 0x22);
    assertThat(g.frames(0, 1)).containsExactly(0x11);
    assertThat(g.advance(now)).as("one stack known: stays").isEqualTo(-1);
    assertThat(g.frames(0, 2)).containsExactly(0x22);
    assertThat(g.advance(now)).isEqualTo(-1);
    assertThat(g.current()).as("two known: moved on").isEqualTo(1);
    assertThat(maps.calls).endsWith("select 1");
    long movedAt = now;

    maps.write(1, 0x33); // generation 1, same id, another stack: its own map
    assertThat(g.frames(1, 1)).containsExactly(0x33);
    assertThat(g.frames(0, 1)).as("the previous map is still read").containsExactly(0x11);
    now += 1_000;
    assertThat(g.advance(movedAt + 10)).as("drained only up to the grace: kept").isEqualTo(-1);
    assertThat(maps.calls).doesNotContain("clear 0");
    assertThat(g.advance(movedAt + 11)).as("drained past the move: emptied").isEqualTo(0);
    assertThat(maps.calls).endsWith("clear 0");
    assertThat(g.holds(0)).isFalse();
    assertThat(g.frames(0, 1)).as("an event of the emptied generation: no stack").isEmpty();
    assertThat(g.expired()).isEqualTo(1);
    assertThat(g.moves()).isEqualTo(1);
  }

  @Test
  void neverMovesBackIntoAMapNotYetEmptied() {
    maps.write(1, 0x11);
    maps.write(2, 0x22);
    g.frames(0, 1);
    g.frames(0, 2);
    g.advance(now); // -> generation 1
    maps.write(3, 0x33);
    maps.write(4, 0x44);
    g.frames(1, 3);
    g.frames(1, 4);
    assertThat(g.advance(Long.MIN_VALUE)).isEqualTo(-1);
    assertThat(g.current()).as("the previous map is still in use").isEqualTo(1);
    assertThat(g.advance(now + 11)).isEqualTo(0);
    assertThat(g.current()).as("emptied, then moved on at once: 1 is full").isEqualTo(2);
    assertThat(maps.maps[0]).as("generation 2 writes into the emptied map").isEmpty();
  }

  @Test
  void readsEachStackOncePerGenerationAndNegativeIdsNever() {
    maps.write(5, 0x55);
    g.frames(0, 5);
    g.frames(0, 5);
    assertThat(g.frames(0, -14)).isEmpty();
    assertThat(maps.calls).containsExactly("read 0 5");
  }
}
