package dev.aiprof.collectors.jfr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM run like a container's: its own pid, mount and network namespaces ({@code unshare}), a
 * private tmpfs on /tmp, and another user (nobody, via {@code setpriv}). Its main class's files are
 * copied to a tmpfs on /mnt in its mount namespace, which that user may read. Speaks the
 * stdin/stdout protocol of the workload it runs; closing kills it.
 */
final class NamespacedJvm implements AutoCloseable {
  private final Process unshare;
  private final BufferedReader out;
  private final OutputStream in;
  private final int pid;

  private NamespacedJvm(Process unshare) throws IOException {
    this.unshare = unshare;
    this.out =
        new BufferedReader(new InputStreamReader(unshare.getInputStream(), StandardCharsets.UTF_8));
    this.in = unshare.getOutputStream();
    String first = out.readLine();
    if (!"ready".equals(first)) {
      unshare.destroyForcibly();
      throw new IllegalStateException("namespaced JVM did not start: " + first);
    }
    this.pid =
        (int)
            unshare
                .children()
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("unshare has no child"))
                .pid();
  }

  /** Starts {@code mainClass} (whose package needs only the JDK) with {@code args}. */
  static NamespacedJvm start(Path classesDir, Class<?> mainClass, String... args)
      throws IOException {
    copyClassFiles(mainClass, classesDir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The classes are copied to a tmpfs on /mnt first: the build directory may itself be under
    // /tmp (a clone in /tmp), which the private /tmp then hides. Both mounts are in the JVM's own
    // mount namespace.
    String cmd =
        "mount -t tmpfs -o mode=0755 tmpfs /mnt && cp -r "
            + classesDir.toAbsolutePath()
            + "/. /mnt/ && mount -t tmpfs -o mode=1777 tmpfs /tmp && exec setpriv --reuid=65534"
            + " --regid=65534 --clear-groups "
            + java
            + " -XX:+UseSerialGC -Xmx64m -cp /mnt "
            + mainClass.getName()
            + " "
            + String.join(" ", args);
    List<String> argv =
        List.of(
            "unshare",
            "--mount",
            "--pid",
            "--net",
            "--fork",
            "--mount-proc",
            "--propagation",
            "private",
            "sh",
            "-c",
            cmd);
    return new NamespacedJvm(
        new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start());
  }

  /** The JVM's pid on the host (its pid inside is 1). */
  int pid() {
    return pid;
  }

  void send(String line) {
    try {
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String readLine() {
    try {
      return out.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyClassFiles(Class<?> main, Path dir) throws IOException {
    Path pkg = dir.resolve(main.getPackageName().replace('.', '/'));
    Files.createDirectories(pkg);
    String prefix = main.getSimpleName();
    for (Class<?> c : withNested(main)) {
      String file = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
      try (InputStream s = main.getResourceAsStream(file)) {
        Files.write(pkg.resolve(file), s.readAllBytes());
      }
    }
    if (!Files.exists(pkg.resolve(prefix + ".class"))) {
      throw new IllegalStateException("could not copy " + main);
    }
  }

  private static List<Class<?>> withNested(Class<?> main) {
    List<Class<?>> all = new java.util.ArrayList<>(List.of(main));
    all.addAll(List.of(main.getDeclaredClasses()));
    return all;
  }

  @Override
  public void close() {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    unshare.destroyForcibly();
    try {
      unshare.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
