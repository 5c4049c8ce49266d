package dev.aiprof.agent.privilege;

import dev.aiprof.agent.identity.Capabilities.Cap;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.consumer.RecordingStream;

/**
 * A child JVM for {@link ProcessDropIT}: HotSpot and JDK code busy on every kind of thread (GC
 * churn, hot loops the JIT compiles, a JFR stream, a blocking socket read, an NIO selector, sleeps,
 * child processes) while the process-wide drop runs {@code drops} times; each load thread checks
 * what an EINTR would break (a short read, an early wake-up, an exception). Prints one line per
 * drop ({@code drop holdouts=N threads=N signal=N}), one per thread afterwards ({@code task TID
 * NAME inh prm eff bnd amb}), the same for a thread started after the drops ({@code later ...}),
 * counters, and {@code failure ...} for each problem; exits 0 when there was none.
 *
 * <p>Usage: {@code DropUnderLoad DROPS} (run as root: the drop keeps CAP_SYS_PTRACE).
 */
public final class DropUnderLoad {
  private static final AtomicBoolean STOP = new AtomicBoolean();
  private static final ConcurrentLinkedQueue<String> FAILURES = new ConcurrentLinkedQueue<>();
  private static final AtomicLong JFR_EVENTS = new AtomicLong();
  private static final AtomicLong BYTES = new AtomicLong();
  private static final AtomicLong SELECTS = new AtomicLong();
  private static final AtomicLong SLEEPS = new AtomicLong();
  private static final AtomicLong PROCESSES = new AtomicLong();
  private static volatile long sink;

  private DropUnderLoad() {}

  public static void main(String[] args) throws Exception {
    int drops = Integer.parseInt(args[0]);
    List<Thread> load = new ArrayList<>();
    load.add(loop("churn", DropUnderLoad::churn));
    load.add(loop("hot", DropUnderLoad::hot));
    load.add(loop("sleeper", DropUnderLoad::sleep));
    load.add(loop("spawner", DropUnderLoad::spawn));
    // Threads that live microseconds: some exit between being signalled and answering.
    load.add(loop("flicker", () -> Thread.ofPlatform().name("flick").start(() -> {}).join()));
    load.add(loop("flicker2", () -> Thread.ofPlatform().name("flick").start(() -> {}).join()));
    load.add(loop("proc-reader", () -> Files.readString(Path.of("/proc/self/stat"))));
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept();
        ServerSocketChannel nio = ServerSocketChannel.open();
        Selector selector = Selector.open();
        RecordingStream jfr = new RecordingStream()) {
      load.add(once("socket-writer", () -> write(client.getOutputStream())));
      load.add(once("socket-reader", () -> read(accepted.getInputStream())));
      nio.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).configureBlocking(false);
      nio.register(selector, SelectionKey.OP_ACCEPT);
      load.add(once("selector", () -> select(selector, nio)));
      load.add(loop("nio-client", () -> connect(nio)));
      jfr.enable("jdk.GarbageCollection");
      jfr.enable("jdk.CPULoad").withPeriod(Duration.ofMillis(100));
      jfr.onEvent(e -> JFR_EVENTS.incrementAndGet());
      jfr.startAsync();
      Thread.sleep(700); // compilers and GC at work, JFR streaming
      long eventsBefore = JFR_EVENTS.get();
      EnumSet<Cap> keep = EnumSet.of(Cap.CAP_SYS_PTRACE);
      for (int i = 0; i < drops; i++) {
        long t0 = System.nanoTime();
        CapabilityDrop.Result r = CapabilityDrop.everyThread(keep, true);
        long us = (System.nanoTime() - t0) / 1000;
        System.out.println(
            "drop holdouts="
                + r.holdouts().size()
                + " threads="
                + r.threads()
                + " signal="
                + r.signal()
                + " us="
                + us
                + (r.holdouts().isEmpty() ? "" : " " + r.holdouts()));
        Thread.sleep(10);
      }
      Thread later = Thread.ofPlatform().name("later").start(DropUnderLoad::printSelf);
      later.join();
      for (Tasks.Task t : Tasks.read(Tasks.SELF)) {
        System.out.println(line("task " + t.tid() + " " + t.name().replace(' ', '_'), t.caps()));
      }
      Thread.sleep(300); // the load goes on after the last drop
      STOP.set(true);
      selector.wakeup();
      for (Thread t : load) {
        t.join(10_000);
      }
      if (JFR_EVENTS.get() <= eventsBefore) {
        FAILURES.add("no JFR event after the drops");
      }
    }
    long gcs =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .mapToLong(b -> b.getCollectionCount())
            .sum();
    System.out.println(
        "counters gc="
            + gcs
            + " jit_ms="
            + ManagementFactory.getCompilationMXBean().getTotalCompilationTime()
            + " jfr_events="
            + JFR_EVENTS.get()
            + " socket_bytes="
            + BYTES.get()
            + " selects="
            + SELECTS.get()
            + " sleeps="
            + SLEEPS.get()
            + " processes="
            + PROCESSES.get());
    FAILURES.forEach(f -> System.out.println("failure " + f));
    System.exit(FAILURES.isEmpty() ? 0 : 1);
  }

  private static String line(String head, TaskCaps c) {
    return String.format(
        "%s %016x %016x %016x %016x %016x",
        head, c.inheritable(), c.permitted(), c.effective(), c.bounding(), c.ambient());
  }

  private static void printSelf() {
    try {
      TaskCaps c = TaskCaps.parse(Files.readString(Path.of("/proc/thread-self/status")));
      System.out.println(line("later", c));
    } catch (Exception e) {
      FAILURES.add("later: " + e);
    }
  }

  interface Step {
    void run() throws Exception;
  }

  private static Thread loop(String name, Step step) {
    return once(
        name,
        () -> {
          while (!STOP.get()) {
            step.run();
          }
        });
  }

  private static Thread once(String name, Step step) {
    return Thread.ofPlatform()
        .name(name)
        .start(
            () -> {
              try {
                step.run();
              } catch (Throwable t) {
                if (!STOP.get()) {
                  FAILURES.add(name + ": " + t);
                }
              }
            });
  }

  private static void churn() {
    List<byte[]> keep = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      keep.add(new byte[1024 + (i % 7) * 512]);
    }
    sink += keep.size();
  }

  private static void hot() {
    long h = sink;
    for (int i = 0; i < 100_000; i++) {
      h = Long.rotateLeft(h * 31 + i, 7) ^ (h >>> 3);
    }
    sink = h;
  }

  private static void sleep() throws InterruptedException {
    long t = System.nanoTime();
    Thread.sleep(3);
    if (System.nanoTime() - t < 3_000_000) {
      FAILURES.add("Thread.sleep(3) returned after " + (System.nanoTime() - t) + " ns");
    }
    SLEEPS.incrementAndGet();
  }

  private static void spawn() throws Exception {
    Process p = new ProcessBuilder("sleep", "0.02").start();
    int rc = p.waitFor();
    if (rc != 0) {
      FAILURES.add("sleep 0.02 exited " + rc);
    }
    PROCESSES.incrementAndGet();
  }

  /** A byte every 2 ms, counting up, so that the reader can tell a lost or short read. */
  private static void write(OutputStream out) throws Exception {
    for (int i = 0; !STOP.get(); i++) {
      out.write(i & 0xff);
      out.flush();
      Thread.sleep(2);
    }
    out.close();
  }

  private static void read(InputStream in) throws Exception {
    for (int expect = 0; ; expect++) {
      int b = in.read(); // blocks in recv(): interrupted by the signal, restarted (SA_RESTART)
      if (b < 0) {
        return;
      }
      if (b != (expect & 0xff)) {
        FAILURES.add("socket read " + b + ", expected " + (expect & 0xff));
        return;
      }
      BYTES.incrementAndGet();
    }
  }

  private static void select(Selector selector, ServerSocketChannel nio) throws Exception {
    while (!STOP.get()) {
      selector.select(); // epoll_wait: EINTR is never restarted; the JDK must loop
      SELECTS.incrementAndGet();
      for (SelectionKey k : selector.selectedKeys()) {
        if (k.isAcceptable()) {
          SocketChannel c = nio.accept();
          if (c != null) {
            c.close();
          }
        }
      }
      selector.selectedKeys().clear();
    }
  }

  private static void connect(ServerSocketChannel nio) throws Exception {
    try (SocketChannel c = SocketChannel.open(nio.getLocalAddress())) {
      c.write(ByteBuffer.wrap(new byte[] {1}));
    }
    Thread.sleep(20);
  }
}
