package dev.aiprof.reference.serve;

import dev.aiprof.reference.os.LinuxThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code cpu} injection: threads {@code inject-cpu-N}, pinned to the workers' CPU, that spin
 * while the injected phase runs and park otherwise. The worker then waits in the runqueue for its
 * own CPU. Thread-safe.
 */
final class CpuLoad implements Injector {
  private final String phase;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean on;
  private volatile boolean stop;

  CpuLoad(String phase, int count, int cpu) {
    if (cpu < 0) {
      throw new IllegalArgumentException("--inject cpu needs --cpu N (the CPU to share)");
    }
    this.phase = phase;
    for (int i = 0; i < count; i++) {
      threads.add(
          Thread.ofPlatform()
              .name("inject-cpu-" + i)
              .daemon()
              .start(
                  () -> {
                    LinuxThreads.pinTo(cpu);
                    spin();
                  }));
    }
  }

  private void spin() {
    long x = 0;
    while (!stop) {
      if (on) {
        x += System.nanoTime() & 1;
      } else {
        LockSupport.park(this);
      }
    }
    if (x == 42) {
      System.out.print("");
    }
  }

  @Override
  public Window during(String name) {
    if (!name.equals(phase)) {
      return Window.NONE;
    }
    on = true;
    threads.forEach(LockSupport::unpark);
    return () -> on = false;
  }

  @Override
  public void close() {
    stop = true;
    threads.forEach(LockSupport::unpark);
  }
}
