package dev.aiprof.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.metrics.MetricSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RemovedCgroupsTest {
  /** A host whose cgroups the test creates and removes; counts walks. */
  static final class Host implements Cgroups {
    final Set<Long> live = new HashSet<>();
    Set<Long> walked = Set.of();
    int walks;

    @Override
    public Optional<String> name(long v2Id, long v1Id) {
      return Optional.empty();
    }

    @Override
    public void refresh() {
      walks++;
      walked = Set.copyOf(live);
    }

    @Override
    public boolean exists(long v2Id, long v1Id) {
      return walked.contains(v2Id);
    }
  }

  private final Host host = new Host();
  private final AtomicLong clock = new AtomicLong();
  private final RemovedCgroups removed =
      new RemovedCgroups(host, Duration.ofMinutes(5), clock::get);
  private final List<RemovedCgroups.Id> deleted = new ArrayList<>();
  private final MetricSource export = removed.exporting(s -> {});

  private int sweep(long... ids) {
    List<RemovedCgroups.Id> seen = new ArrayList<>();
    for (long id : ids) {
      seen.add(new RemovedCgroups.Id(id, 0));
    }
    return removed.sweep(() -> seen, RemovedCgroups.Id::v2, RemovedCgroups.Id::v1, deleted::add);
  }

  @Test
  void aRemovedCgroupIsDeletedOnlyAfterACollectionExportedItsLastValues() {
    host.live.addAll(List.of(10L, 11L));
    assertThat(sweep(10, 11)).isZero();
    host.live.remove(11L);
    assertThat(sweep(10, 11)).as("found gone: marked, still exported").isZero();
    assertThat(removed.waiting()).isOne();
    assertThat(sweep(10, 11)).as("no collection since the mark").isZero();
    export.collect(MetricSink.NONE);
    assertThat(sweep(10, 11)).isOne();
    assertThat(deleted).containsExactly(new RemovedCgroups.Id(11, 0));
    assertThat(removed.removed()).isOne();
    assertThat(removed.waiting()).isZero();
    assertThat(host.walks).as("one walk a sweep").isEqualTo(4);
  }

  @Test
  void aCollectionThatStartedBeforeTheMarkDoesNotCount() {
    host.live.add(10L);
    sweep(10);
    host.live.clear();
    List<Integer> during = new ArrayList<>();
    MetricSource slow = removed.exporting(s -> during.add(sweep(10))); // marks while collecting
    slow.collect(MetricSink.NONE);
    assertThat(during).containsExactly(0);
    assertThat(sweep(10)).as("the collection read before the mark").isZero();
    export.collect(MetricSink.NONE);
    assertThat(sweep(10)).isOne();
  }

  @Test
  void sweepAllHandsOverTheCgroupsDueAtOnce() {
    List<long[]> entries = List.of(new long[] {10, 0}, new long[] {10, 0}, new long[] {11, 2});
    List<Set<RemovedCgroups.Id>> calls = new ArrayList<>();
    removed.sweepAll(() -> entries, e -> e[0], e -> e[1], calls::add);
    assertThat(calls).as("marked, not due").isEmpty();
    export.collect(MetricSink.NONE);
    assertThat(removed.sweepAll(() -> entries, e -> e[0], e -> e[1], calls::add)).isEqualTo(2);
    assertThat(calls)
        .singleElement()
        .isEqualTo(Set.of(new RemovedCgroups.Id(10, 0), new RemovedCgroups.Id(11, 2)));
    assertThat(removed.removed()).isEqualTo(2);
  }

  @Test
  void withNoCollectionAMarkIsDueAfterTheLongestWait() {
    sweep(10);
    clock.addAndGet(Duration.ofMinutes(5).toNanos() - 1);
    assertThat(sweep(10)).isZero();
    clock.incrementAndGet();
    assertThat(sweep(10)).isOne();
  }

  @Test
  void entriesOfOneCgroupAreDeletedOnceAndLiveOrUnseenOnesLoseTheirMark() {
    host.live.add(12L);
    List<long[]> entries = List.of(new long[] {10, 0}, new long[] {10, 0}, new long[] {12, 0});
    removed.sweep(() -> entries, e -> e[0], e -> e[1], deleted::add);
    assertThat(removed.waiting()).as("10 marked once, 12 lives").isOne();
    sweep(); // 10 no longer held: its mark goes
    assertThat(removed.waiting()).isZero();
    export.collect(MetricSink.NONE);
    removed.sweep(() -> entries, e -> e[0], e -> e[1], deleted::add);
    assertThat(deleted).as("marked again, not yet due").isEmpty();
    export.collect(MetricSink.NONE);
    removed.sweep(() -> entries, e -> e[0], e -> e[1], deleted::add);
    assertThat(deleted).containsExactly(new RemovedCgroups.Id(10, 0));
  }
}
