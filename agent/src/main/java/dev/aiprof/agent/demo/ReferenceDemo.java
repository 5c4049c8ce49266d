package dev.aiprof.agent.demo;

import dev.aiprof.agent.run.Agent;
import dev.aiprof.collectors.otlp.OtlpCollector;
import dev.aiprof.collectors.otlp.OtlpProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The demo's run: with the agent already started (the same {@link Agent} as {@code aiprof run}),
 * starts the reference server and client as child processes pointed at the agent's OTLP receiver,
 * follows both, waits for the client's requests, ends the server, and reports the agent's own CPU
 * over that window. The caller then closes the agent (which flushes every span to the files) and
 * reads them. Single use; not thread-safe.
 */
final class ReferenceDemo {
  private final DemoOptions o;
  private final Progress progress;
  private final Path marker;

  ReferenceDemo(DemoOptions o, Progress progress, Path marker) {
    this.o = o;
    this.progress = progress;
    this.marker = marker;
  }

  /** What the run left for the summary. */
  record Outcome(long serverPid, long clientPid, String clientResult, AgentCost cost) {
    Set<Long> pids() {
      return Set.of(serverPid, clientPid);
    }
  }

  Outcome run(Agent agent, PrintStream log) throws Exception {
    InetSocketAddress receiver =
        agent
            .pipeline()
            .offered(OtlpProvider.NAME, OtlpCollector.class)
            .flatMap(OtlpCollector::httpAddress)
            .orElseThrow(
                () -> new IllegalStateException("the agent's OTLP/HTTP receiver is not running"));
    String traces = "http://127.0.0.1:" + receiver.getPort() + "/v1/traces";
    Files.createDirectories(o.modelDir());
    try (Child server = Child.start("server", server(traces), progress)) {
      agent.pipeline().follows().follow((int) server.pid());
      int port = server.ready(600);
      log.printf(
          "aiprof demo: reference server (pid %d) on 127.0.0.1:%d; %d requests%s%n",
          server.pid(),
          port,
          o.requests(),
          o.inject().equals("none") ? "" : ", inject " + o.inject());
      AgentCost.Meter window = AgentCost.start();
      String result;
      long clientPid;
      try (Child client = Child.start("client", client(traces, port), progress)) {
        clientPid = client.pid();
        agent.pipeline().follows().follow((int) clientPid);
        result = client.result(600);
      }
      AgentCost cost = window.stop();
      if (!server.end(30)) {
        log.println("aiprof demo: the reference server did not end within 30 s; stopping it");
      }
      return new Outcome(server.pid(), clientPid, result, cost);
    }
  }

  private List<String> java() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ArrayList<>(
        List.of(
            java.toString(),
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-XX:+UseSerialGC",
            // ONNX Runtime's tokenizer library logs through SLF4J, which has no binding here
            "-Dslf4j.internal.verbosity=ERROR",
            "-Xmx1g",
            "-jar",
            o.referenceJar().toString()));
  }

  private List<String> server(String traces) {
    List<String> c = java();
    c.addAll(
        List.of(
            "server",
            "--traces-endpoint",
            traces,
            "--metrics-dir",
            o.otlpDir().toString(),
            "--model-dir",
            o.modelDir().toString(),
            "--engine",
            o.engine(),
            "--model-size",
            o.modelSize(),
            "--max-tokens",
            Integer.toString(o.maxTokens()),
            "--inject",
            o.inject()));
    if (marker != null) {
      c.addAll(List.of("--marker-library", marker.toString()));
    }
    return c;
  }

  private List<String> client(String traces, int port) {
    List<String> c = java();
    c.addAll(
        List.of(
            "client",
            "--traces-endpoint",
            traces,
            "--server",
            "http://127.0.0.1:" + port,
            "--requests",
            Integer.toString(o.requests()),
            "--concurrency",
            Integer.toString(o.concurrency()),
            "--max-tokens",
            Integer.toString(o.maxTokens())));
    return c;
  }

  static void checkJar(Path jar) throws IOException {
    if (!ReferenceJar.present(jar)) {
      throw new IOException(
          "no reference service at "
              + jar
              + ": build it with sudo ./aiprof setup (or mvn package)");
    }
  }
}
