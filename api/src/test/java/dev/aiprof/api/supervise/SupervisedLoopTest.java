package dev.aiprof.api.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SupervisedLoopTest {
  private final AtomicLong now = new AtomicLong();
  private final List<Long> sleeps = new ArrayList<>();

  private void sleep(long ns) {
    sleeps.add(ns);
    now.addAndGet(ns);
  }

  @Test
  void restartsAfterAnErrorWithGrowingBackoffAndCountsIt() {
    AtomicInteger runs = new AtomicInteger();
    SupervisedLoop.run(
        "test-restarts",
        () -> true,
        () -> {
          if (runs.incrementAndGet() <= 3) {
            throw new OutOfMemoryError("Java heap space");
          }
        },
        now::get,
        this::sleep);
    assertThat(runs).hasValue(4);
    assertThat(sleeps).containsExactly(100_000_000L, 200_000_000L, 400_000_000L);
    assertThat(Restarts.of("test-restarts")).isEqualTo(3);
    assertThat(Restarts.lastFailure("test-restarts"))
        .isEqualTo("java.lang.OutOfMemoryError: Java heap space");
  }

  @Test
  void givesUpAfterQuickFailuresInARowSoTheThreadDies() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(
            () ->
                SupervisedLoop.run(
                    "test-gives-up",
                    () -> true,
                    () -> {
                      runs.incrementAndGet();
                      throw new IllegalStateException("broken");
                    },
                    now::get,
                    this::sleep))
        .isInstanceOf(IllegalStateException.class);
    assertThat(runs).hasValue(SupervisedLoop.MAX_QUICK_FAILURES);
    assertThat(sleeps.getLast()).isLessThanOrEqualTo(SupervisedLoop.MAX_BACKOFF_NS);
  }

  @Test
  void aLoopThatRanAMinuteStartsItsBackoffOver() {
    AtomicInteger runs = new AtomicInteger();
    SupervisedLoop.run(
        "test-healthy",
        () -> runs.get() < 20,
        () -> {
          runs.incrementAndGet();
          now.addAndGet(SupervisedLoop.HEALTHY_NS); // a minute of good work, then a failure
          throw new IllegalStateException("rare");
        },
        now::get,
        this::sleep);
    assertThat(runs).hasValue(20);
    assertThat(sleeps).allMatch(s -> s == SupervisedLoop.MIN_BACKOFF_NS);
  }

  @Test
  void aPeriodicTaskThatThrowsIsCountedAndRunsAgain() {
    AtomicInteger runs = new AtomicInteger();
    Runnable task =
        SupervisedLoop.periodic(
            "test-periodic",
            () -> {
              if (runs.incrementAndGet() == 1) {
                throw new StackOverflowError();
              }
            });
    task.run(); // would cancel the task in a scheduled executor
    task.run();
    assertThat(runs).hasValue(2);
    assertThat(Restarts.of("test-periodic")).isEqualTo(1);
  }

  @Test
  void stopsWhenNoLongerRunning() {
    AtomicInteger runs = new AtomicInteger();
    SupervisedLoop.run("test-stop", () -> false, runs::incrementAndGet, now::get, this::sleep);
    assertThat(runs).hasValue(0);
  }
}
