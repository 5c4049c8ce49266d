package dev.aiprof.testing.backends;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Apache SkyWalking OAP 10.1 on loopback, for one test: standalone, H2 in memory, OTLP/gRPC traces
 * and metrics in, spans out through its Zipkin API and metrics (made by the MAL rule {@code
 * otel-rules/aiprof.yaml}) through its PromQL API. The jars ({@code
 * org.apache.skywalking:server-starter} and its dependencies) come from Maven the first time; the
 * configuration is this package's {@code backends/skywalking} resources, with free ports.
 *
 * <p>It needs a Java 11–21 runtime (its Groovy cannot read newer class files), found under {@code
 * /usr/lib/jvm}. Expect ~10–30 s to start and ~600 MB of memory. {@link #close} stops it and
 * removes its directory (configuration, log); idempotent. Not thread-safe.
 */
public final class SkyWalking implements AutoCloseable {
  public static final String VERSION = "10.1.0";
  private static final String MAIN = "org.apache.skywalking.oap.server.starter.OAPServerStartUp";
  private static final List<String> CONFIG =
      List.of(
          "application.yml",
          "log4j2.xml",
          "component-libraries.yml",
          "endpoint-name-grouping.yml",
          "service-apdex-threshold.yml",
          "oal/disable.oal",
          "otel-rules/aiprof.yaml");

  private final Path home;
  private final BackendProcess process;
  private final int grpcPort;
  private final Zipkin zipkin;
  private final PromQl promql;
  private Duration startup;

  private SkyWalking(Path home, BackendProcess process, int grpcPort, int zipkin, int promql) {
    this.home = home;
    this.process = process;
    this.grpcPort = grpcPort;
    this.zipkin = new Zipkin("http://127.0.0.1:" + zipkin + "/zipkin");
    this.promql = new PromQl("http://127.0.0.1:" + promql);
  }

  /**
   * Fetches (first time only), configures and starts the OAP, and waits until its OTLP receiver and
   * both query APIs answer.
   *
   * @throws IllegalStateException when no suitable Java runtime is installed, Maven cannot fetch
   *     the jars, or the OAP exits or is not ready within 3 minutes (with its log's tail)
   */
  public static SkyWalking start() throws InterruptedException {
    Path java =
        JavaRuntimes.find(11, 21)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "SkyWalking OAP "
                            + VERSION
                            + " needs a Java 11 to 21 runtime under /usr/lib/jvm (its Groovy"
                            + " cannot read newer class files): install one, e.g. apt-get install"
                            + " default-jre-headless"));
    Path lib = MavenArtifacts.resolve("org.apache.skywalking", "server-starter", VERSION);
    Path home = configure();
    int grpc = Ports.free();
    int rest = Ports.free();
    int zipkin = Ports.free();
    int promql = Ports.free();
    List<String> cmd =
        List.of(
            java.toString(),
            "-Xms256m",
            "-Xmx1g",
            // A test's OAP lives a minute and serves a few requests: C1 alone and the serial
            // collector start it sooner on a small shared host than C2 and G1's threads.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Dcom.linecorp.armeria.warnNettyVersions=false",
            "-DAIPROF_SW_GRPC_PORT=" + grpc,
            "-DAIPROF_SW_REST_PORT=" + rest,
            "-DAIPROF_SW_ZIPKIN_PORT=" + zipkin,
            "-DAIPROF_SW_PROMQL_PORT=" + promql,
            "-cp",
            home.resolve("conf") + ":" + lib + "/*",
            MAIN);
    long t0 = System.nanoTime();
    BackendProcess p = BackendProcess.start("SkyWalking OAP", cmd, home.resolve("oap.log"));
    SkyWalking sw = new SkyWalking(home, p, grpc, zipkin, promql);
    try {
      sw.awaitReady();
    } catch (InterruptedException | RuntimeException | Error e) {
      sw.close();
      throw e;
    }
    sw.startup = Duration.ofNanos(System.nanoTime() - t0);
    return sw;
  }

  private void awaitReady() throws InterruptedException {
    Await.until(
        "SkyWalking OAP to serve OTLP/gRPC, Zipkin and PromQL",
        Duration.ofMinutes(3),
        Duration.ofMillis(250),
        () -> {
          process.requireAlive();
          boolean up =
              Ports.listening(grpcPort)
                  && Http.get(URI.create(zipkin + "/api/v2/services")).statusCode() == 200
                  && Http.get(URI.create(promql + "/api/v1/status/buildinfo")).statusCode() == 200;
          return up ? Boolean.TRUE : null;
        },
        process::tail);
  }

  /** A fresh directory holding the configuration (conf/) and, later, the log. */
  private static Path configure() {
    try {
      Path home = Files.createTempDirectory("aiprof-skywalking-");
      for (String name : CONFIG) {
        Path target = home.resolve("conf").resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in =
            SkyWalking.class.getResourceAsStream("/backends/skywalking/" + name)) {
          if (in == null) {
            throw new IllegalStateException("missing resource backends/skywalking/" + name);
          }
          Files.copy(in, target);
        }
      }
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the SkyWalking configuration", e);
    }
  }

  /** Where the agent sends OTLP/gRPC (traces and metrics), e.g. http://127.0.0.1:11800. */
  public String otlpEndpoint() {
    return "http://127.0.0.1:" + grpcPort;
  }

  public Zipkin zipkin() {
    return zipkin;
  }

  public PromQl promql() {
    return promql;
  }

  /** From process start to ready. */
  public Duration startup() {
    return startup;
  }

  /** The last lines of the OAP's log, for failure messages. */
  public String logTail() {
    return process.tail();
  }

  /** The OAP's resident memory, from /proc (0 when gone). */
  public long rssBytes() {
    return Rss.of(process.pid());
  }

  @Override
  public void close() {
    try {
      process.close();
    } finally {
      Directories.delete(home);
    }
  }
}
