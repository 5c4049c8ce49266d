package dev.aiprof.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real gVisor container for tests: a busybox root file system imported into podman (no registry),
 * run with {@code podman --runtime=<wrapper>} where the two-line wrapper passes {@code
 * --network=none} (or, with {@link Network#HOST}, {@code --network=host}) to {@code runsc} itself.
 * Names are {@code aiprof-sandbox-} (or {@code $AIPROF_TEST_PREFIX}) and a random suffix; {@link
 * #close()} removes the container and the image. Needs root, podman, runsc and busybox-static.
 *
 * <p>If runsc cannot start for want of platform support (its ptrace or KVM platform, seccomp), the
 * test is aborted with runsc's reason: that host could not run it, in CI or not. Any other failure
 * fails the test.
 */
public final class RunscContainer implements AutoCloseable {
  private final String name;
  private final String image;
  private final String id;
  private final int pid;

  private RunscContainer(String name, String image, String id, int pid) {
    this.name = name;
    this.image = image;
    this.id = id;
    this.pid = pid;
  }

  /** The sandbox's network. */
  public enum Network {
    /** None: runsc refuses podman's own network namespace, so nothing inside reaches the host. */
    NONE,
    /**
     * The host's ({@code podman --network=host}, {@code runsc --network=host}): the Sentry opens
     * the guest's sockets as its own host sockets, so the guest reaches the host's loopback.
     */
    HOST
  }

  /**
   * Starts {@code /bin/sh -c script} in a new gVisor container without a network.
   *
   * @param dir a scratch directory for the root file system and the wrapper
   */
  public static RunscContainer start(Path dir, String script) throws IOException {
    return start(dir, script, Network.NONE);
  }

  /** Starts {@code /bin/sh -c script} in a new gVisor container on {@code network}. */
  public static RunscContainer start(Path dir, String script, Network network) throws IOException {
    String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    String prefix = System.getenv().getOrDefault("AIPROF_TEST_PREFIX", "aiprof-sandbox-");
    String name = prefix + suffix;
    String image = "localhost/" + prefix + "it:" + suffix;
    Path root = dir.resolve("rootfs");
    Files.createDirectories(root.resolve("bin"));
    Files.copy(Path.of("/usr/bin/busybox"), root.resolve("bin/busybox"));
    for (String a : List.of("sh", "wget", "nc", "sleep", "cat", "true")) {
      Files.createSymbolicLink(root.resolve("bin").resolve(a), Path.of("busybox"));
    }
    Path tar = dir.resolve("rootfs.tar");
    run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."));
    run(List.of("podman", "import", tar.toString(), image));
    Path wrapper = dir.resolve("runsc-" + suffix);
    String net = network == Network.HOST ? "host" : "none";
    Files.writeString(wrapper, "#!/bin/sh\nexec runsc --network=" + net + " \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    List<String> run = new ArrayList<>(List.of("podman", "--runtime=" + wrapper, "run", "-d"));
    if (network == Network.HOST) {
      run.add("--network=host");
    }
    run.addAll(List.of("--name", name, image, "/bin/sh", "-c", script));
    Result r = exec(run);
    if (r.rc() != 0) {
      exec(List.of("podman", "rm", "-f", name));
      exec(List.of("podman", "rmi", "-f", image));
      String why = r.output().toLowerCase(Locale.ROOT);
      Assumptions.assumeFalse(
          why.contains("platform") || why.contains("ptrace") || why.contains("seccomp"),
          "runsc cannot start on this host: " + r.output().strip());
      throw new IOException("podman run with runsc failed: " + r.output().strip());
    }
    String id = r.output().strip();
    id = id.substring(id.lastIndexOf('\n') + 1);
    String pid = run(List.of("podman", "inspect", "-f", "{{.State.Pid}}", name)).strip();
    return new RunscContainer(name, image, id, Integer.parseInt(pid));
  }

  /** The container's name ({@code aiprof-sandbox-...}), unique: also fit for a cgroup's. */
  public String name() {
    return name;
  }

  /** The 64-hex container id. */
  public String id() {
    return id;
  }

  /** The host pid of the sandbox ({@code runsc-sandbox}, gVisor's Sentry). */
  public int pid() {
    return pid;
  }

  @Override
  public void close() throws IOException {
    exec(List.of("podman", "rm", "-f", "-t", "0", name));
    exec(List.of("podman", "rmi", "-f", image));
  }

  private record Result(int rc, String output) {}

  private static String run(List<String> cmd) throws IOException {
    Result r = exec(cmd);
    if (r.rc() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + r.output().strip());
    }
    return r.output();
  }

  private static Result exec(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return new Result(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
