package dev.aiprof.agent.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.health.HealthCheck;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SupervisorTest {
  private static final Duration TICK = Duration.ofMillis(20);

  @Test
  void aThreadThatDiesIsFatalAndItsLivenessCheckFails() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    Thread t =
        Thread.ofPlatform()
            .name("test-dies")
            .start(
                () -> {
                  awaitQuietly(go);
                  throw new IllegalStateException("the loop broke");
                });
    CompletableFuture<String> fatal = new CompletableFuture<>();
    try (Supervisor s = Supervisor.start(Set.of("test-dies"), TICK)) {
      s.onFatal(fatal::complete);
      assertThat(s.healthy()).isTrue();
      assertThat(s.checks()).extracting(HealthCheck::name).contains("thread:test-dies");
      go.countDown();
      t.join();
      assertThat(fatal.get(5, TimeUnit.SECONDS))
          .isEqualTo("thread test-dies died: java.lang.IllegalStateException: the loop broke");
      assertThat(s.healthy()).isFalse();
      assertThat(s.checks())
          .filteredOn(c -> c.name().equals("thread:test-dies"))
          .singleElement()
          .satisfies(c -> assertThat(c.detail()).contains("the loop broke"));
    }
  }

  @Test
  void aThreadItsOwnerStoppedIsNoLongerChecked() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    Thread t = Thread.ofPlatform().name("test-stopped").start(() -> awaitQuietly(stop));
    try (Supervisor s = Supervisor.start(Set.of("test-stopped"), TICK)) {
      assertThat(s.checks()).extracting(HealthCheck::name).contains("thread:test-stopped");
      stop.countDown();
      t.join();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (s.checks().stream().anyMatch(c -> c.name().equals("thread:test-stopped"))
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(s.checks()).extracting(HealthCheck::name).doesNotContain("thread:test-stopped");
      assertThat(s.healthy()).isTrue();
      assertThat(s.fatal()).isEmpty();
    }
  }

  @Test
  void aWatchedComponentsRecordedFailureIsFatal() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CompletableFuture<String> fatal = new CompletableFuture<>();
    try (Supervisor s = Supervisor.start(Set.of(), TICK)) {
      s.watch("aiprof-ring-events", failure::get);
      s.onFatal(fatal::complete);
      assertThat(s.healthy()).isTrue();
      failure.set(new IllegalStateException("epoll_wait: EBADF"));
      assertThat(fatal.get(5, TimeUnit.SECONDS)).contains("aiprof-ring-events stopped");
      assertThat(s.healthy()).isFalse();
    }
  }

  private static void awaitQuietly(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
