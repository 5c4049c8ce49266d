package dev.aiprof.agent.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a running agent: every BPF program and link it held (read from its own
 * /proc/PID/fdinfo) is gone from the kernel afterwards (bpftool finds no such id), nothing is
 * pinned under /sys/fs/bpf, and the next start attaches again and stops cleanly.
 */
@Requires(root = true, tools = "bpftool", files = "/sys/kernel/btf/vmlinux")
class KillNineIT {
  private static final Path LAUNCHER = Path.of("..", "aiprof").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void nothingStaysAttachedAndTheNextStartIsClean() throws Exception {
    Set<String> pinnedBefore = pinned();
    Process first = start("first.log");
    Set<String> held = bpfObjects(first.pid());
    System.out.println("held before kill -9: " + held.size() + " BPF programs and links");
    assertThat(held).anyMatch(s -> s.startsWith("prog_id")).anyMatch(s -> s.startsWith("link_id"));
    assertThat(held).as("bpftool sees them while held").allMatch(KillNineIT::existsUnchecked);
    first.destroyForcibly(); // SIGKILL
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isEqualTo(137);
    List<String> left = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    do { // the kernel releases the objects as the process's files close
      left.clear();
      for (String o : held) {
        if (exists(o)) {
          left.add(o);
        }
      }
    } while (!left.isEmpty() && System.nanoTime() < end && pause());
    assertThat(left).as("BPF objects still in the kernel after kill -9").isEmpty();
    assertThat(pinned()).isEqualTo(pinnedBefore);

    Process second = start("second.log");
    assertThat(bpfObjects(second.pid())).anyMatch(s -> s.startsWith("link_id"));
    second.destroy(); // SIGTERM
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isZero();
    assertThat(Files.readString(tmp.resolve("second.log")))
        .contains("sched (running)")
        .contains("aiprof run: stopped");
  }

  private Process start(String log) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                LAUNCHER.toString(),
                "run",
                "--collectors",
                "sched,marker",
                "--prometheus-address",
                "127.0.0.1:0",
                "--output-dir",
                tmp.resolve("otlp").toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(log).toFile())
            .start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(tmp.resolve(log)).contains("running until")) {
      assertThat(p.isAlive()).as(Files.readString(tmp.resolve(log))).isTrue();
      assertThat(System.nanoTime()).as("started within 60 s").isLessThan(end);
      pause();
    }
    return p;
  }

  /** "prog_id 42", "link_id 7": what the process's descriptors hold. */
  private static Set<String> bpfObjects(long pid) throws IOException {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
      for (Path fd : fds.toList()) {
        try {
          for (String l : Files.readAllLines(fd)) {
            if (l.startsWith("prog_id:") || l.startsWith("link_id:")) {
              out.add(l.replace(":", "").replaceAll("\\s+", " ").strip());
            }
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    return out;
  }

  private static boolean exists(String object) throws IOException, InterruptedException {
    String[] kindId = object.split(" ");
    String kind = kindId[0].equals("prog_id") ? "prog" : "link";
    Process p =
        new ProcessBuilder("bpftool", kind, "show", "id", kindId[1])
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  private static boolean existsUnchecked(String object) {
    try {
      return exists(object);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static Set<String> pinned() throws IOException {
    Path bpffs = Path.of("/sys/fs/bpf");
    if (!Files.isDirectory(bpffs)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.walk(bpffs)) {
      return new TreeSet<>(s.map(Path::toString).toList());
    }
  }

  private static boolean pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }
}
