package dev.aiprof.testing.backends;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Debian package of another release, downloaded (not installed) through the host's own Debian
 * mirror and extracted into a cached directory. apt-get runs with its own lists and cache in a
 * temporary directory, so the host's apt state is untouched; the sources are the host's own,
 * rewritten by {@link DebianSources}.
 */
final class DebianPackage {
  private static final Path SOURCES_DIR = Path.of("/etc/apt/sources.list.d");

  private DebianPackage() {}

  /**
   * The root of the extracted package {@code name} of release {@code release} (e.g. trixie),
   * downloaded when not cached.
   *
   * @throws IllegalStateException when the host has no Debian deb822 source, or apt fails
   */
  static Path fetch(String name, String release) throws InterruptedException {
    Path dir = Caches.dir(name + "-" + release);
    if (Caches.complete(dir)) {
      return dir.resolve("root");
    }
    Path staging = Caches.staging(dir);
    Path tmp = null;
    String deb;
    try {
      tmp = Files.createTempDirectory("aiprof-apt-");
      Path sources = tmp.resolve("alt.sources");
      Files.writeString(sources, sources(release));
      for (String d : List.of("lists/partial", "cache/archives/partial", "debs")) {
        Files.createDirectories(tmp.resolve(d));
      }
      List<String> apt = apt(tmp, sources);
      Path log = staging.resolve("fetch.log");
      Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
      Command.run(with(apt, "update", "-qq"), tmp, env, log, Duration.ofMinutes(5));
      Command.run(
          with(apt, "download", name), tmp.resolve("debs"), env, log, Duration.ofMinutes(10));
      Path file = onlyDeb(tmp.resolve("debs"), name);
      Command.run(
          List.of("dpkg-deb", "-x", file.toString(), staging.resolve("root").toString()),
          staging,
          Map.of(),
          staging.resolve("extract.log"),
          Duration.ofMinutes(5));
      deb = file.getFileName().toString();
    } catch (IOException e) {
      Directories.delete(staging);
      throw new UncheckedIOException("cannot fetch Debian package " + name, e);
    } catch (RuntimeException | InterruptedException e) {
      Directories.delete(staging);
      throw e;
    } finally {
      Directories.delete(tmp);
    }
    return Caches.publish(staging, dir, deb).resolve("root");
  }

  /** The host's Debian sources, rewritten for {@code release}. */
  private static String sources(String release) throws IOException {
    String codename = DebianSources.codename(Files.readString(Path.of("/etc/os-release")));
    StringBuilder out = new StringBuilder();
    if (codename != null && Files.isDirectory(SOURCES_DIR)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(SOURCES_DIR, "*.sources")) {
        for (Path f : files) {
          out.append(DebianSources.rewrite(Files.readString(f), codename, release));
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException(
          "no Debian apt source for release "
              + codename
              + " in "
              + SOURCES_DIR
              + "/*.sources to download "
              + release
              + " packages from: on a non-Debian host, provide the backend binary yourself");
    }
    return out.toString();
  }

  private static List<String> apt(Path tmp, Path sources) {
    return List.of(
        "apt-get",
        "-o",
        "Dir::Etc::sourcelist=" + sources,
        "-o",
        "Dir::Etc::sourceparts=/nonexistent",
        "-o",
        "Dir::State::Lists=" + tmp.resolve("lists"),
        "-o",
        "Dir::Cache=" + tmp.resolve("cache"),
        "-o",
        "APT::Sandbox::User=root");
  }

  private static List<String> with(List<String> base, String... more) {
    List<String> out = new ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }

  private static Path onlyDeb(Path dir, String name) throws IOException {
    try (DirectoryStream<Path> debs = Files.newDirectoryStream(dir, name + "_*.deb")) {
      for (Path d : debs) {
        return d;
      }
    }
    throw new IllegalStateException("apt-get download " + name + " left no .deb in " + dir);
  }
}
