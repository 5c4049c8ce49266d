package dev.aiprof.agent.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A fake host for the shell launcher {@code ./aiprof}: a copy of the launcher in a fake repository,
 * a PATH that holds only stubs ({@code apt-get}, {@code apt-cache}, {@code dpkg-query}, {@code
 * mvn}, {@code mount}, {@code id}) and links to the few real tools the launcher uses, fake Java
 * homes whose {@code java} is a stub, a fake tracefs and a fake {@code /etc/os-release}. Every stub
 * appends one line to a calls file, so a test sees what the launcher did, and nothing real can be
 * installed, built or mounted. Not thread-safe: one per test.
 */
final class LauncherHost {
  /** Real tools the launcher and the stubs need; anything else is missing on the fake PATH. */
  static final String[] TOOLS = {
    "bash",
    "dirname",
    "readlink",
    "sed",
    "grep",
    "find",
    "mktemp",
    "rm",
    "head",
    "cat",
    "mkdir",
    "cp",
    "touch"
  };

  /** The launcher's exit status, its output, and the stubs' calls in order. */
  record Result(int status, String out, String err, List<String> calls) {
    /** The calls but the read-only package queries ({@code dpkg-query}). */
    List<String> actions() {
      return calls.stream().filter(c -> !c.startsWith("dpkg-query ")).toList();
    }

    /** The calls of one command, e.g. "apt-get". */
    List<String> of(String command) {
      return calls.stream().filter(c -> c.startsWith(command + " ")).toList();
    }
  }

  private static final Instant NOW = Instant.now();
  private final Path home;
  private final Path root;
  private final Path bin;
  private final Path jvm;
  private final Path tracefs;
  private final Path calls;
  private final Map<String, String> env = new HashMap<>();

  private LauncherHost(Path home) {
    this.home = home;
    this.root = home.resolve("repo");
    this.bin = home.resolve("bin");
    this.jvm = home.resolve("jvm");
    this.tracefs = home.resolve("tracing");
    this.calls = home.resolve("calls");
  }

  /** A host with the repository's launcher, no Java, no packages, tracefs not mounted, as root. */
  static LauncherHost create(Path home) {
    LauncherHost h = new LauncherHost(home);
    try {
      h.setUp();
    } catch (IOException e) {
      throw new UncheckedIOException("set up a fake host in " + home, e);
    }
    return h;
  }

  private void setUp() throws IOException {
    Files.createDirectories(bin);
    Files.createDirectories(jvm);
    Files.createDirectories(tracefs);
    Files.createDirectories(root);
    Path launcher = Files.copy(repositoryLauncher(), root.resolve("aiprof"));
    executable(launcher);
    write(root.resolve("pom.xml"), "<project/>\n", NOW.minus(Duration.ofHours(1)));
    write(source(), "class Example {}\n", NOW.minus(Duration.ofHours(1)));
    for (String tool : TOOLS) {
      Files.createSymbolicLink(bin.resolve(tool), onPath(tool));
    }
    stub("apt-get", apt());
    stub("apt-cache", "cat \"$AIPROF_TEST_HOME/apt-cache-policy\" 2>/dev/null\n");
    stub("dpkg-query", dpkgQuery());
    stub("mvn", mvn());
    stub("mount", "");
    script(bin.resolve("id"), "#!/bin/sh\necho \"$AIPROF_TEST_UID\"\n");
    script(home.resolve("java-stub"), "#!/bin/sh\necho \"$0 $*\" >>\"$AIPROF_TEST_CALLS\"\n");
    env.put("PATH", bin.toString());
    env.put("HOME", home.toString());
    env.put("TMPDIR", home.toString());
    env.put("AIPROF_TEST_HOME", home.toString());
    env.put("AIPROF_TEST_CALLS", calls.toString());
    env.put("AIPROF_TEST_UID", "0");
    env.put("AIPROF_JVM_DIRS", jvm.toString());
    env.put("AIPROF_TRACEFS", tracefs.toString());
    env.put("AIPROF_OS_RELEASE", home.resolve("os-release").toString());
  }

  /** The installing apt-get: "installs" openjdk-25-jdk-headless as a fake Java home. */
  private static String apt() {
    return """
        case " $* " in *" openjdk-25-jdk-headless "*)
          j="$AIPROF_TEST_HOME/jvm/java-25-openjdk-amd64"
          mkdir -p "$j/bin"
          cp "$AIPROF_TEST_HOME/java-stub" "$j/bin/java"
          cp "$AIPROF_TEST_HOME/java-stub" "$j/bin/javac"
          echo 'JAVA_VERSION="25.0.5"' >"$j/release"
        esac
        """;
  }

  /** Installed when named in the file "installed", one package a line. */
  private static String dpkgQuery() {
    return """
        for p in "$@"; do :; done
        grep -qxF "$p" "$AIPROF_TEST_HOME/installed" 2>/dev/null || exit 1
        printf 'install ok installed'
        """;
  }

  /** Records JAVA_HOME too; "package" makes the jar, as the real build does. */
  private static String mvn() {
    return """
        case " $* " in *" package "*) mkdir -p agent/target && touch agent/target/aiprof.jar; esac
        """;
  }

  private void stub(String name, String body) throws IOException {
    String record =
        name.equals("mvn")
            ? "echo \"mvn JAVA_HOME=$JAVA_HOME $*\" >>\"$AIPROF_TEST_CALLS\"\n"
            : "echo \"" + name + " $*\" >>\"$AIPROF_TEST_CALLS\"\n";
    script(bin.resolve(name), "#!/bin/sh\n" + record + body + "exit 0\n");
  }

  /** A Java home under the JVM directory; {@code javac} false makes it a runtime only. */
  LauncherHost java(String name, int version, boolean javac) {
    Path j = jvm.resolve(name);
    try {
      Files.createDirectories(j.resolve("bin"));
      Path stub = home.resolve("java-stub");
      executable(Files.copy(stub, j.resolve("bin/java")));
      if (javac) {
        executable(Files.copy(stub, j.resolve("bin/javac")));
      }
      Files.writeString(j.resolve("release"), "JAVA_VERSION=\"" + version + ".0.1\"\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A jar newer than every source. */
  LauncherHost builtJar() {
    write(jar(), "jar", NOW);
    return this;
  }

  /** A jar older than {@link #source()}, as after a {@code git pull}. */
  LauncherHost staleJar() {
    write(jar(), "jar", NOW.minus(Duration.ofHours(2)));
    return this;
  }

  /** Debian 12: no JDK 25 in the package lists. */
  LauncherHost bookworm() {
    osRelease("Debian GNU/Linux 12 (bookworm)");
    write(home.resolve("apt-cache-policy"), "", NOW);
    return this;
  }

  /** Debian 13: openjdk-25-jdk-headless has a candidate. */
  LauncherHost trixie() {
    osRelease("Debian GNU/Linux 13 (trixie)");
    write(
        home.resolve("apt-cache-policy"),
        "openjdk-25-jdk-headless:\n  Installed: (none)\n  Candidate: 25.0.5+11-1\n",
        NOW);
    return this;
  }

  LauncherHost installed(List<String> packages) {
    write(home.resolve("installed"), String.join("\n", packages) + "\n", NOW);
    return this;
  }

  LauncherHost tracefsMounted() {
    try {
      Files.createDirectories(tracefs.resolve("events"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  LauncherHost uid(int uid) {
    env.put("AIPROF_TEST_UID", Integer.toString(uid));
    return this;
  }

  LauncherHost withoutApt() {
    try {
      Files.delete(bin.resolve("apt-get"));
      Files.delete(bin.resolve("apt-cache"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  Path jar() {
    return root.resolve("agent/target/aiprof.jar");
  }

  Path source() {
    return root.resolve("agent/src/main/java/dev/Example.java");
  }

  Path jvm() {
    return jvm;
  }

  Path tracefs() {
    return tracefs;
  }

  /** Every path under the fake host but the calls file: what a command wrote shows as a change. */
  List<String> files() {
    try (Stream<Path> s = Files.walk(home)) {
      return s.filter(p -> !p.equals(calls))
          .map(p -> home.relativize(p).toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code ./aiprof ARGS} in the fake repository, with only this host's environment. */
  Result run(String... args) {
    List<String> cmd = new ArrayList<>(List.of(root.resolve("aiprof").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectOutput(home.resolve("stdout").toFile())
        .redirectError(home.resolve("stderr").toFile());
    try {
      Files.deleteIfExists(calls);
      Process p = pb.start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("./aiprof " + String.join(" ", args) + " took over 30 s");
      }
      List<String> recorded =
          Files.exists(calls) ? Files.readAllLines(calls, StandardCharsets.UTF_8) : List.of();
      Result r =
          new Result(
              p.exitValue(),
              Files.readString(home.resolve("stdout")),
              Files.readString(home.resolve("stderr")),
              recorded);
      Files.delete(home.resolve("stdout"));
      Files.delete(home.resolve("stderr"));
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + cmd, e);
    }
  }

  private void osRelease(String pretty) {
    write(home.resolve("os-release"), "PRETTY_NAME=\"" + pretty + "\"\nID=debian\n", NOW);
  }

  private static void write(Path file, String text, Instant mtime) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      Files.setLastModifiedTime(file, FileTime.from(mtime));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void script(Path file, String text) throws IOException {
    Files.writeString(file, text);
    executable(file);
  }

  private static Path executable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /** The repository's {@code aiprof}, found above the working directory. */
  static Path repositoryLauncher() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("aiprof")) && Files.exists(p.resolve("pom.xml"))) {
        return p.resolve("aiprof");
      }
    }
    throw new AssertionError("no aiprof launcher above " + Path.of("").toAbsolutePath());
  }

  private static Path onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError("no " + tool + " on the PATH");
  }
}
