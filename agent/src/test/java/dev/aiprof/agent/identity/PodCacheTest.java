package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The pod cache's refresh policy, on a hand-driven clock with a scripted source (the real sources
 * are tested against HTTPS servers in KubeletPodSourceTest and ApiServerPodSourceTest).
 */
class PodCacheTest {
  static final Duration INTERVAL = Duration.ofSeconds(5);
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final List<Pod> before = new ArrayList<>(Fixtures.pods("pods-containerd.json"));
  final Scripted source = new Scripted();

  {
    before.removeIf(p -> p.uid().equals(Fixtures.TRAINER_UID));
  }

  /** Answers with the next scripted list (the last one repeats), or throws. */
  static final class Scripted implements PodSource {
    final List<Object> answers = new ArrayList<>();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public List<Pod> pods() throws IOException {
      int n = calls.getAndIncrement();
      Object a = answers.get(Math.min(n, answers.size() - 1));
      if (a instanceof IOException e) {
        throw e;
      }
      @SuppressWarnings("unchecked")
      List<Pod> pods = (List<Pod>) a;
      return pods;
    }

    @Override
    public void close() {}
  }

  PodCache cache(int capacity) {
    return new PodCache(
        source,
        Runnable::run,
        now::get,
        INTERVAL,
        Duration.ofMinutes(10),
        Duration.ofSeconds(1),
        capacity);
  }

  void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void anUnknownIdRefreshesAndFindsThePodThatAppeared() {
    source.answers.addAll(List.of(before, Fixtures.pods("pods-containerd.json")));
    PodCache cache = cache(100);
    cache.refresh();
    assertThat(source.calls).hasValue(1);
    // within the interval: no second request, and the pod uid from the path is not known yet
    assertThat(cache.lookup(Fixtures.TRAINER_ID, Optional.of(Fixtures.TRAINER_UID))).isEmpty();
    assertThat(source.calls).hasValue(1);
    assertThat(cache.stats().rateLimited()).isEqualTo(1);
    advance(INTERVAL);
    PodMatch m = cache.lookup(Fixtures.TRAINER_ID, Optional.empty()).orElseThrow();
    assertThat(m.pod().name()).isEqualTo("trainer-7d9f8b6c5-x2x9q");
    assertThat(m.container()).map(Pod.Container::name).contains("trainer");
    assertThat(source.calls).hasValue(2);
    // known now: no more requests
    cache.lookup(Fixtures.TRAINER_ID, Optional.empty());
    assertThat(source.calls).hasValue(2);
    assertThat(cache.stats().refreshes()).isEqualTo(2);
  }

  @Test
  void aFloodOfUnknownIdsMakesOneRequestPerInterval() {
    source.answers.add(before);
    PodCache cache = cache(100);
    for (int i = 0; i < 10_000; i++) {
      cache.lookup(String.format("%064x", i), Optional.empty());
      if (i % 1000 == 999) {
        advance(Duration.ofSeconds(1));
      }
    }
    // 10 s of lookups, one refresh allowed every 5 s
    assertThat(source.calls.get()).isBetween(2, 3);
    assertThat(cache.stats().rateLimited()).isEqualTo(10_000 - source.calls.get());
  }

  @Test
  void anUnknownContainerInAKnownPodFallsBackToThePod() {
    source.answers.add(Fixtures.pods("pods-containerd.json"));
    PodCache cache = cache(100);
    PodMatch m = cache.lookup("f".repeat(64), Optional.of(Fixtures.TRAINER_UID)).orElseThrow();
    assertThat(m.pod().uid()).isEqualTo(Fixtures.TRAINER_UID);
    assertThat(m.container()).isEmpty();
    assertThat(cache.lookupPod("a6d2b0f7c1e94b3c8d5e7f9a0b1c2d3e"))
        .map(p -> p.pod().name())
        .contains("etcd-gpu-node-1");
  }

  @Test
  void entriesExpireAndTheNextLookupRefreshes() {
    source.answers.add(Fixtures.pods("pods-containerd.json"));
    PodCache cache = cache(100);
    assertThat(cache.lookup(Fixtures.TRAINER_ID, Optional.empty())).isPresent();
    assertThat(source.calls).hasValue(1);
    advance(Duration.ofMinutes(9));
    assertThat(cache.lookup(Fixtures.TRAINER_ID, Optional.empty())).isPresent();
    assertThat(source.calls).hasValue(1);
    advance(Duration.ofMinutes(1));
    assertThat(cache.lookup(Fixtures.TRAINER_ID, Optional.empty())).isPresent();
    assertThat(source.calls).hasValue(2);
  }

  @Test
  void theCacheIsBoundedLeastRecentlyUsedFirst() {
    source.answers.add(Fixtures.pods("pods-containerd.json"));
    PodCache cache = cache(3);
    cache.refresh();
    assertThat(cache.stats().containers()).isEqualTo(3);
  }

  @Test
  void failuresDegradeToUnknownAreCountedAndRecover() {
    source.answers.addAll(
        List.of(new IOException("connection refused"), Fixtures.pods("pods-containerd.json")));
    PodCache cache = cache(100);
    assertThat(cache.lookup(Fixtures.TRAINER_ID, Optional.of(Fixtures.TRAINER_UID))).isEmpty();
    assertThat(cache.stats().failures()).isEqualTo(1);
    advance(INTERVAL);
    assertThat(cache.lookup(Fixtures.TRAINER_ID, Optional.empty())).isPresent();
    assertThat(cache.stats().failures()).isEqualTo(1);
    assertThat(cache.stats().refreshes()).isEqualTo(1);
  }

  @Test
  void aSlowSourceDoesNotHoldTheCallerLongerThanTheLookupWait() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    PodSource slow =
        new PodSource() {
          @Override
          public List<Pod> pods() throws IOException {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            return Fixtures.pods("pods-containerd.json");
          }

          @Override
          public void close() {}
        };
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      PodCache cache =
          new PodCache(
              slow,
              executor,
              System::nanoTime,
              INTERVAL,
              Duration.ofMinutes(1),
              Duration.ofMillis(50),
              100);
      assertThat(cache.lookup(Fixtures.TRAINER_ID, Optional.empty())).isEmpty();
      assertThat(cache.stats().waitTimeouts()).isEqualTo(1);
      release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (cache.stats().refreshes() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      // the refresh finished in the background: the next lookup finds it without a request
      assertThat(cache.lookup(Fixtures.TRAINER_ID, Optional.empty())).isPresent();
    } finally {
      executor.shutdownNow();
    }
  }
}
