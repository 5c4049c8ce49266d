package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One perf event opened with {@code perf_event_open(2)}, for a {@code SEC("perf_event")} program to
 * run on ({@link BpfProgram#attachPerfEvent(PerfEvent)}): today the software CPU clock of one CPU,
 * sampled at a frequency (the kernel adjusts the period to reach it), for every task on that CPU.
 * Or the software major-fault event of one CPU ({@link #majorFaults}), period one. It is opened
 * disabled; the attach enables it.
 *
 * <p>Lifecycle: open → attach, which hands the descriptor to the link (libbpf closes it when the
 * link is destroyed, and {@link #close()} then does nothing) → or {@link #close()} when it was
 * never attached. Thread-safety: {@link #close()} and the hand-over are serialized.
 */
public final class PerfEvent implements AutoCloseable {
  // struct perf_event_attr (uapi, stable: fields are only ever appended).
  private static final int ATTR_SIZE = 128; // PERF_ATTR_SIZE_VER7
  private static final int TYPE_SOFTWARE = 1;
  private static final long COUNT_SW_CPU_CLOCK = 0;
  private static final long COUNT_SW_PAGE_FAULTS_MAJ = 6;
  private static final long FLAG_DISABLED = 1L;
  private static final long FLAG_FREQ = 1L << 10;
  private static final long FLAG_FD_CLOEXEC = 1L << 3;
  private static final long SYS_PERF_EVENT_OPEN =
      System.getProperty("os.arch").equals("aarch64") ? 241 : 298;

  private static final Linker L = Linker.nativeLinker();
  private static final MethodHandle SYSCALL =
      L.downcallHandle(
          L.defaultLookup().find("syscall").orElseThrow(),
          FunctionDescriptor.of(
              JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
          Linker.Option.firstVariadicArg(1),
          Linker.Option.captureCallState("errno"));

  private final int fd;
  private final int cpu;
  private final String what;
  private boolean released;

  private PerfEvent(int fd, int cpu, String what) {
    this.fd = fd;
    this.cpu = cpu;
    this.what = what;
  }

  /**
   * Opens the software CPU clock of {@code cpu} (all tasks on it), sampling {@code frequencyHz}
   * times a second; at most {@code kernel.perf_event_max_sample_rate}.
   */
  public static PerfEvent cpuClock(int cpu, long frequencyHz) {
    if (frequencyHz <= 0) {
      throw new IllegalArgumentException("frequencyHz must be positive, was " + frequencyHz);
    }
    return open(
        COUNT_SW_CPU_CLOCK,
        frequencyHz,
        FLAG_DISABLED | FLAG_FREQ,
        cpu,
        "cpu-clock perf event at " + frequencyHz + " Hz on cpu " + cpu);
  }

  /**
   * Opens the software major-fault event of {@code cpu} (all tasks on it) with a sample period of
   * one: an attached program runs at every major fault, in the faulting task, where the kernel
   * accounts it ({@code mm_account_fault}, beside {@code task->maj_flt}).
   */
  public static PerfEvent majorFaults(int cpu) {
    return open(
        COUNT_SW_PAGE_FAULTS_MAJ, 1, FLAG_DISABLED, cpu, "major-faults perf event on cpu " + cpu);
  }

  /** {@link #majorFaults} on every online CPU; all or none. */
  public static List<PerfEvent> majorFaultsOnEveryCpu() {
    List<PerfEvent> events = new ArrayList<>();
    try {
      for (int cpu : onlineCpus()) {
        events.add(majorFaults(cpu));
      }
      return events;
    } catch (RuntimeException e) {
      events.forEach(PerfEvent::close);
      throw e;
    }
  }

  private static PerfEvent open(long config, long periodOrFreq, long flags, int cpu, String what) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment attr = a.allocate(ATTR_SIZE, 8);
      attr.set(JAVA_INT, 0, TYPE_SOFTWARE);
      attr.set(JAVA_INT, 4, ATTR_SIZE);
      attr.set(JAVA_LONG, 8, config);
      attr.set(JAVA_LONG, 16, periodOrFreq); // sample_period, or sample_freq with the freq flag
      attr.set(JAVA_LONG, 40, flags);
      MemorySegment errno = LibBpf.errnoSlot(a);
      long fd =
          (long)
              SYSCALL.invokeExact(errno, SYS_PERF_EVENT_OPEN, attr, -1, cpu, -1, FLAG_FD_CLOEXEC);
      if (fd < 0) {
        throw new BpfException("open " + what, LibBpf.errno(errno));
      }
      return new PerfEvent((int) fd, cpu, what);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** {@link #cpuClock} on every online CPU; all or none (on failure the opened ones are closed). */
  public static List<PerfEvent> cpuClockOnEveryCpu(long frequencyHz) {
    List<PerfEvent> events = new ArrayList<>();
    try {
      for (int cpu : onlineCpus()) {
        events.add(cpuClock(cpu, frequencyHz));
      }
      return events;
    } catch (RuntimeException e) {
      events.forEach(PerfEvent::close);
      throw e;
    }
  }

  /** The online CPUs, from /sys/devices/system/cpu/online. */
  public static List<Integer> onlineCpus() {
    Path online = Path.of("/sys/devices/system/cpu/online");
    try {
      return parseCpuList(Files.readString(online));
    } catch (IOException e) {
      throw new UncheckedIOException("read " + online, e);
    }
  }

  /** Parses the kernel's CPU list format ("0-3,8,10-11"); a pure function. */
  public static List<Integer> parseCpuList(String list) {
    List<Integer> cpus = new ArrayList<>();
    for (String part : list.strip().split(",")) {
      if (part.isEmpty()) {
        continue;
      }
      int dash = part.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
      for (int c = from; c <= to; c++) {
        cpus.add(c);
      }
    }
    return List.copyOf(cpus);
  }

  /** The descriptor (owned by this object until attached, by the link after). */
  public int fd() {
    return fd;
  }

  public int cpu() {
    return cpu;
  }

  /** After a successful attach: the link owns the descriptor now. */
  synchronized void handedOver() {
    released = true;
  }

  /** Whether the descriptor still belongs to this object (not attached, not closed). */
  synchronized boolean owned() {
    return !released;
  }

  /** Closes the descriptor unless a link owns it; idempotent. */
  @Override
  public synchronized void close() {
    if (!released) {
      released = true;
      Fds.close(fd);
    }
  }

  @Override
  public String toString() {
    return what;
  }
}
