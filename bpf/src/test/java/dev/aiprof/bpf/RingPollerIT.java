package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.testing.Libc;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One {@link RingPoller} thread and epoll over two rings of a test program (uprobes on getpid that
 * write a record into {@code records} and {@code records_b}): watermarks per ring, removal, handler
 * failures, and nothing left open afterwards, epoll and eventfd descriptors included.
 */
@Requires(root = true)
@NoBpfLeaks
class RingPollerIT {
  private static final MethodHandle GETPID =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("getpid").orElseThrow(),
              FunctionDescriptor.of(JAVA_INT));
  private static final int SELF = (int) ProcessHandle.current().pid();

  private BpfObject obj;
  private long waitFds;

  @BeforeEach
  void load() throws IOException {
    waitFds = waitDescriptors();
    Path libc = FeatureProber.mappedLibc().orElseThrow();
    obj = BpfObject.openResource(RingPollerIT.class, "binding_test");
    obj.setConstant("target_tid", Libc.gettid());
    obj.program("copy_magic").setAutoload(false);
    obj.program("on_return").setAutoload(false);
    obj.load();
    obj.program("on_entry").attachUprobe(Uprobe.entry(libc, "getpid").withPid(SELF));
    obj.program("on_entry_b").attachUprobe(Uprobe.entry(libc, "getpid").withPid(SELF));
  }

  @AfterEach
  void close() throws IOException {
    obj.close();
    assertThat(waitDescriptors()).as("epoll and eventfd descriptors left open").isEqualTo(waitFds);
  }

  @Test
  void oneThreadDrainsBothRingsAndEachWatermarkCoversItsRecords() throws Throwable {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    try (RingPoller poller =
        RingPoller.start("aiprof-test-rings", Duration.ofMillis(2), Duration.ofMillis(20))) {
      RingPoller.Ring a = poller.add(obj.map("records"), (addr, size) -> threads.add(name()));
      RingPoller.Ring b = poller.add(obj.map("records_b"), (addr, size) -> threads.add(name()));
      for (int i = 1; i <= 5; i++) {
        call();
        long committed = System.nanoTime(); // both records are in their rings by now
        await("ring a's watermark passes the call", () -> a.drainedUntil() > committed);
        assertThat(a.records()).as("records of ring a once its watermark passed").isEqualTo(i);
        await("ring b's watermark passes the call", () -> b.drainedUntil() > committed);
        assertThat(b.records()).as("records of ring b once its watermark passed").isEqualTo(i);
      }
      assertThat(threads).containsExactly("aiprof-test-rings");

      a.close();
      assertThat(a.closed()).isTrue();
      long aFinal = a.records();
      long since = a.drainedUntil();
      for (int i = 0; i < 3; i++) {
        call();
        long committed = System.nanoTime();
        await("ring b's watermark after ring a was removed", () -> b.drainedUntil() > committed);
      }
      assertThat(b.records()).isEqualTo(8);
      assertThat(a.records()).isEqualTo(aFinal);
      assertThat(a.drainedUntil()).as("a removed ring's watermark stands still").isEqualTo(since);
      assertThat(poller.records()).isEqualTo(5 + 8);
      assertThat(poller.failed()).isZero();
      assertThat(poller.alive()).isTrue();
      a.close(); // idempotent
    }
  }

  @Test
  void forcedWakeUpsOfAnyRingEndTheWaitAndCloseIsPrompt() throws Throwable {
    // Records submitted with flags 0 into an empty ring wake the consumer: with a 5 s interval, a
    // record drained within a second arrived through the shared epoll, not the timer.
    RingPoller poller =
        RingPoller.start("aiprof-test-wake", Duration.ofSeconds(5), Duration.ofSeconds(5));
    RingPoller.Ring a = poller.add(obj.map("records"), (addr, size) -> {});
    RingPoller.Ring b = poller.add(obj.map("records_b"), (addr, size) -> {});
    for (int i = 1; i <= 3; i++) {
      long start = System.nanoTime();
      call();
      await("both rings drained after a wake-up", () -> a.records() > 0 && b.records() > 0);
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(2));
    }
    long start = System.nanoTime();
    poller.close();
    assertThat(System.nanoTime() - start).as("close time").isLessThan(TimeUnit.SECONDS.toNanos(2));
    assertThat(poller.alive()).isFalse();
    assertThat(poller.failure()).isNull();
    assertThat(a.closed()).isTrue();
    assertThat(b.closed()).isTrue();
    assertThatThrownBy(() -> poller.add(obj.map("records"), (addr, size) -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void handlerFailuresAreCountedPerRingAndTheOtherRingGoesOn() throws Throwable {
    try (RingPoller poller =
        RingPoller.start("aiprof-test-fail", Duration.ofMillis(2), Duration.ofMillis(20))) {
      RingPoller.Ring a =
          poller.add(
              obj.map("records"),
              (addr, size) -> {
                throw new IllegalStateException("handler bug");
              });
      RingPoller.Ring b = poller.add(obj.map("records_b"), (addr, size) -> {});
      for (int i = 0; i < 3; i++) {
        call();
      }
      await("records of both rings", () -> a.records() == 3 && b.records() == 3);
      assertThat(a.failed()).isEqualTo(3);
      assertThat(b.failed()).isZero();
      assertThat(poller.failed()).isEqualTo(3);
      assertThat(poller.alive()).isTrue();
    }
  }

  @Test
  void aHandlerMayCloseItsOwnRing() throws Throwable {
    AtomicReference<RingPoller.Ring> self = new AtomicReference<>();
    try (RingPoller poller =
        RingPoller.start("aiprof-test-self", Duration.ofMillis(2), Duration.ofMillis(20))) {
      RingPoller.Ring a = poller.add(obj.map("records"), (addr, size) -> self.get().close());
      self.set(a);
      RingPoller.Ring b = poller.add(obj.map("records_b"), (addr, size) -> {});
      call();
      call();
      await("ring a closed by its handler", a::closed);
      await("ring b drained", () -> b.records() == 2);
      long seen = a.records();
      assertThat(seen).as("records of a, the rest drained at close").isBetween(1L, 2L);
      call();
      long committed = System.nanoTime();
      await("ring b's watermark", () -> b.drainedUntil() > committed);
      assertThat(b.records()).isEqualTo(3);
      assertThat(a.records()).isEqualTo(seen);
      assertThat(poller.alive()).isTrue();
    }
  }

  private static String name() {
    return Thread.currentThread().getName();
  }

  private static void call() throws Throwable {
    assertThat((int) GETPID.invokeExact()).isEqualTo(SELF);
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  /** This process's epoll and eventfd descriptors (RingPoller makes one of each). */
  private static long waitDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(RingPollerIT::link)
          .filter(l -> l.contains("eventpoll") || l.contains("eventfd"))
          .count();
    }
  }

  private static String link(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException e) {
      return "";
    }
  }
}
