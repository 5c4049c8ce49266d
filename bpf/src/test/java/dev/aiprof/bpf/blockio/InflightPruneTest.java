package dev.aiprof.bpf.blockio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The in-flight prune against a map the "kernel" changes between the scan and the delete: what it
 * deletes is what was stale, never a request that took the address since.
 */
class InflightPruneTest {
  /** A map of key → last-touched time; {@code meanwhile} runs between the scan and the takes. */
  static final class FakeEntries implements InflightPrune.Entries {
    final Map<Long, Long> touched = new HashMap<>();
    Runnable meanwhile = () -> {};

    @Override
    public List<Long> touchedBefore(long beforeNs) {
      List<Long> keys = new ArrayList<>();
      touched.forEach(
          (k, t) -> {
            if (t < beforeNs) {
              keys.add(k);
            }
          });
      meanwhile.run();
      return keys;
    }

    @Override
    public byte[] take(long key) {
      Long t = touched.remove(key);
      return t == null ? null : ByteBuffer.allocate(8).putLong(t).array();
    }

    @Override
    public long lastTouched(byte[] value) {
      return ByteBuffer.wrap(value).getLong();
    }

    @Override
    public boolean restore(long key, byte[] value) {
      return touched.putIfAbsent(key, lastTouched(value)) == null;
    }
  }

  private final FakeEntries m = new FakeEntries();

  @Test
  void staleEntriesGoAndFreshOnesStay() {
    m.touched.put(1L, 100L);
    m.touched.put(2L, 5_000L);
    assertThat(InflightPrune.prune(m, 1_000)).isEqualTo(new InflightPrune.Result(1, 0));
    assertThat(m.touched).containsOnlyKeys(2L);
  }

  @Test
  void aNewRequestAtTheStaleOnesAddressKeepsItsEntry() {
    m.touched.put(1L, 100L);
    m.meanwhile = () -> m.touched.put(1L, 9_000L); // finished, and the address started again
    assertThat(InflightPrune.prune(m, 1_000)).isEqualTo(new InflightPrune.Result(0, 1));
    assertThat(m.touched).as("the new request's entry").containsEntry(1L, 9_000L);
  }

  @Test
  void aRequestThatCompletedMeanwhileIsNotCountedStale() {
    m.touched.put(1L, 100L);
    m.meanwhile = () -> m.touched.remove(1L);
    assertThat(InflightPrune.prune(m, 1_000)).isEqualTo(new InflightPrune.Result(0, 0));
    assertThat(m.touched).isEmpty();
  }
}
