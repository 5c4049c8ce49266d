package dev.aiprof.agent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiprof.agent.AgentJvm;
import dev.aiprof.agent.identity.Fixtures;
import dev.aiprof.agent.identity.KubeServer;
import dev.aiprof.agent.identity.TestTls;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.Processes;
import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent run as the chart's DaemonSet runs it: the container's own arguments, environment and
 * volume mounts read from {@code helm template} (not copied), laid out under a directory standing
 * for the container's root ({@link DaemonSetPod}: the host paths link to this machine's {@code
 * /proc} and {@code /sys}, the ConfigMap's {@code config.yaml}, the projected token and CA), with
 * the container's capability set as its bounding set ({@code setpriv}: root with only the
 * DaemonSet's {@code capabilities.add}, no new privileges) in a private mount namespace whose root
 * file system is read-only but for the DaemonSet's writable mounts (its emptyDirs), once for each
 * pod source. An API-server and kubelet stand-in serves the recorded pods of node {@code
 * gpu-node-1}; a busy process runs in the trainer pod's container cgroup. The agent must serve the
 * port the probes and the Service name, name the trainer pod on its scheduler series (through the
 * source the chart chose, with the projected token), stay under the DaemonSet's memory limit, and
 * stop cleanly on SIGTERM.
 */
@Requires(
    root = true,
    tools = {"setpriv", "unshare"},
    files = "/sys/kernel/btf/vmlinux")
class DaemonSetRunIT {
  private static final String TOKEN = "daemonset-token";
  private static final String POD = "trainer-7d9f8b6c5-x2x9q";
  private static final String LAUNCHER_OPTIONS =
      "-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=10000"
          + " -XX:TrimNativeHeapInterval=5000 -Xss512k -Xms16m -XX:MaxMetaspaceSize=96m"
          + " -XX:ReservedCodeCacheSize=48m";

  @TempDir Path dir;

  @ParameterizedTest(name = "identity.source={0}")
  @ValueSource(strings = {"apiserver", "kubelet"})
  void theAgentRunsWithTheDaemonSetsArgumentsMountsAndCapabilities(String source) throws Exception {
    int port = freePort();
    CountDownLatch done = new CountDownLatch(1);
    String cgroup =
        "kubepods-"
            + ProcessHandle.current().pid()
            + ".slice/kubepods-burstable.slice/kubepods-burstable-pod"
            + Fixtures.TRAINER_UID.replace('-', '_')
            + ".slice/cri-containerd-"
            + Fixtures.TRAINER_ID
            + ".scope";
    // Not under /tmp: the container's /tmp (an emptyDir) is mounted there for the agent.
    Path root = Files.createTempDirectory(Path.of("/var/tmp"), "aiprof-daemonset-");
    try (KubeServer api = KubeServer.start(TOKEN);
        CgroupDir cg = CgroupDir.create(cgroup);
        ContainerRoot removeLater = new ContainerRoot(root)) {
      byte[] pods = Fixtures.bytes("pods-containerd.json");
      api.route("/pods", KubeServer.json(pods));
      api.route(
          "/api/v1/pods",
          (ex, n) -> {
            if (ex.getRequestURI().getQuery().contains("watch=true")) {
              ex.getResponseHeaders().set("Content-Type", "application/json");
              ex.sendResponseHeaders(200, 0);
              awaitQuietly(done);
            } else {
              KubeServer.json(pods).respond(ex, n);
            }
          });
      int apiPort = api.uri("").getPort();
      List<JsonNode> docs =
          Chart.documents(
              Chart.template(
                  Map.of(
                      "metrics.port", port,
                      "identity.source", source,
                      "identity.kubeletPort", apiPort,
                      // a key of the config file, which the agent validates as strictly as --set
                      "config.identity\\.refresh-interval", "2s")));
      DaemonSetPod pod =
          DaemonSetPod.layout(
              docs,
              root,
              Map.of(
                  "spec.nodeName", Fixtures.NODE,
                  "status.podIP", "127.0.0.1",
                  "status.hostIP", "127.0.0.1"),
              TOKEN + "\n",
              TestTls.caFile());
      assertThat(Files.readString(pod.mounts().get("/etc/aiprof").resolve("config.yaml")))
          .contains("identity.refresh-interval: \"2s\"");
      JsonNode c = Chart.container(docs);
      assertThat(c.path("readinessProbe").path("httpGet").path("port").asText())
          .isEqualTo("metrics");
      assertThat(c.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
      List<String> caps =
          HelmChartTest.texts(c.path("securityContext").path("capabilities").path("add"));
      long limit = mebibytes(c.path("resources").path("limits").path("memory").asText());
      Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
      Process agent = null;
      try {
        cg.add(busy.pid());
        List<String> cmd = new ArrayList<>(readOnlyRoot(docs, pod));
        cmd.addAll(setpriv(caps));
        for (String arg : AgentJvm.command("128m", pod.args())) {
          cmd.add(arg.replace(CHECKOUT.toString(), SEEN_CHECKOUT));
        }
        ProcessBuilder pb =
            new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile());
        pb.environment().putAll(pod.env());
        // The image runs /opt/aiprof/bin/aiprof: the launcher's memory options (see ./aiprof).
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        pb.environment().put("JAVA_TOOL_OPTIONS", LAUNCHER_OPTIONS);
        // What the kubelet puts into every container: where the API server is.
        pb.environment().put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
        pb.environment().put("KUBERNETES_SERVICE_PORT", Integer.toString(apiPort));
        System.out.println("aiprof " + String.join(" ", pod.args()));
        agent = pb.start();
        String needle = "k8s_pod_name=\"" + POD + "\"";
        String metrics = awaitMetrics(agent, port, "aiprof_sched_cpu_time_seconds_total", needle);
        assertThat(metrics).contains("aiprof_collector_success");
        String asked =
            source.equals("apiserver")
                ? "/api/v1/pods?fieldSelector=spec.nodeName%3D" + Fixtures.NODE
                : "/pods";
        assertThat(api.requests()).as("the pods of this node").anyMatch(r -> r.startsWith(asked));
        for (String path : List.of("/healthz", "/readyz")) {
          HttpResponse<String> r = get(port, path);
          System.out.println(path + ": " + r.statusCode());
          assertThat(r.statusCode()).as("the %s probe", path).isEqualTo(200);
        }
        long hwm = kibibytes(agent.pid(), "VmHWM") / 1024;
        System.out.printf(
            "agent VmRSS %d MiB, VmHWM %d MiB; the DaemonSet's memory limit %d MiB%n",
            kibibytes(agent.pid(), "VmRSS") / 1024, hwm, limit);
        assertThat(hwm).as("peak RSS within the memory limit").isLessThan(limit);
        String log = Files.readString(dir.resolve("agent.log"));
        log.lines()
            .filter(l -> l.startsWith("aiprof run: collectors"))
            .forEach(System.out::println);
        assertThat(log).doesNotContain("Exception").doesNotContain("Read-only file system");
      } finally {
        done.countDown();
        busy.destroyForcibly();
        busy.waitFor(10, TimeUnit.SECONDS);
        if (agent != null) {
          Processes.stop(agent, Duration.ofSeconds(30));
        }
      }
      assertThat(agent.exitValue())
          .as("orderly stop on SIGTERM:%n%s", Files.readString(dir.resolve("agent.log")))
          .isZero();
      try (var files = Files.walk(pod.mounts().get("/var/lib/aiprof"))) {
        assertThat(files.filter(Files::isRegularFile).count())
            .as("OTLP files in the state emptyDir, the one writable place for them")
            .isPositive();
      }
    }
  }

  /** A Kubernetes quantity in Mi or Gi, as MiB. */
  static long mebibytes(String quantity) {
    if (quantity.endsWith("Mi")) {
      return Long.parseLong(quantity.substring(0, quantity.length() - 2));
    }
    if (quantity.endsWith("Gi")) {
      return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
    }
    throw new AssertionError("memory quantity " + quantity + ": use Mi or Gi");
  }

  /** A VmRSS-like line of /proc/PID/status, in KiB (the agent runs as a child of setpriv). */
  private static long kibibytes(long setprivPid, String key) throws IOException {
    long pid =
        ProcessHandle.of(setprivPid)
            .flatMap(h -> h.children().findFirst().map(ProcessHandle::pid))
            .orElse(setprivPid);
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith(key + ":")) {
        return Long.parseLong(l.substring(key.length() + 1).replace("kB", "").strip());
      }
    }
    throw new AssertionError("no " + key + " in /proc/" + pid + "/status");
  }

  /**
   * A private mount namespace in which, as in the container, the root file system is read-only and
   * only the DaemonSet's writable mounts (its emptyDirs) are writable: each is bound onto its place
   * under the container root and, where the path exists here too ({@code /tmp}, which the JVM uses
   * without being told), onto that path. The checkout, whose classes the agent runs from, is bound
   * read-only at {@link #SEEN_CHECKOUT} first: a checkout under {@code /tmp} would be hidden by the
   * pod's {@code /tmp} emptyDir otherwise.
   */
  /** The source checkout (the agent module's parent), and where the agent sees it. */
  private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();

  private static final String SEEN_CHECKOUT = "/mnt/aiprof-checkout";

  private static List<String> readOnlyRoot(List<JsonNode> docs, DaemonSetPod pod) {
    StringBuilder script = new StringBuilder("set -e; ");
    List<String> params = new ArrayList<>();
    params.add(CHECKOUT.toString());
    script
        .append("mount -t tmpfs -o size=1m tmpfs /mnt; mkdir ")
        .append(SEEN_CHECKOUT)
        .append("; mount --bind \"$1\" ")
        .append(SEEN_CHECKOUT)
        .append("; mount -o remount,bind,ro ")
        .append(SEEN_CHECKOUT)
        .append("; mount -o remount,ro /mnt; ");
    for (JsonNode m : Chart.container(docs).path("volumeMounts")) {
      if (m.path("readOnly").asBoolean(false)) {
        continue;
      }
      String at = m.path("mountPath").asText();
      Path there = pod.mounts().get(at);
      params.add(there.toString());
      int n = params.size();
      script.append("mount --bind \"$").append(n).append("\" \"$").append(n).append("\"; ");
      if (Files.isDirectory(Path.of(at))) {
        params.add(at);
        script.append("mount --bind \"$").append(n).append("\" \"$").append(n + 1).append("\"; ");
      }
    }
    script
        .append("mount -o remount,bind,ro /; shift ")
        .append(params.size())
        .append("; exec \"$@\"");
    List<String> cmd =
        new ArrayList<>(
            List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c"));
    cmd.add(script.toString());
    cmd.add("sh");
    cmd.addAll(params);
    return cmd;
  }

  /** Root with only {@code caps} in its bounding set (what a container with them gets). */
  private static List<String> setpriv(List<String> caps) throws IOException {
    long bounding = Long.parseLong(status("CapBnd"), 16);
    List<String> keep = new ArrayList<>();
    for (String cap : caps) {
      int bit = CapBits.bit(cap);
      if ((bounding & (1L << bit)) != 0) {
        keep.add("+" + cap.toLowerCase(java.util.Locale.ROOT));
      } else {
        System.out.println("CAP_" + cap + " is not in this machine's bounding set: left out");
      }
    }
    return List.of(
        "setpriv", "--no-new-privs", "--bounding-set=-all," + String.join(",", keep), "--");
  }

  private static String status(String key) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith(key + ":"))
        .findFirst()
        .orElseThrow()
        .substring(key.length() + 1)
        .strip();
  }

  private static String awaitMetrics(Process agent, int port, String metric, String needle)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!agent.isAlive()) {
        throw new AssertionError(
            "the agent exited with " + agent.exitValue() + ":\n" + agent.info());
      }
      try {
        HttpResponse<String> r = get(port, "/metrics");
        last = r.body();
        if (last.lines().anyMatch(l -> l.startsWith(metric) && l.contains(needle))) {
          return last;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "no " + metric + " with " + needle + " within 90 s; last scrape:\n" + last);
  }

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitQuietly(CountDownLatch l) {
    try {
      l.await(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
