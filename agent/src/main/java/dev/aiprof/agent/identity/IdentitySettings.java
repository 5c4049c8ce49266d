package dev.aiprof.agent.identity;

import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Workload identity's settings ({@code identity.source=kubelet}, {@code
 * identity.kubelet-url=https://10.0.0.5:10250/pods}, ...), and the {@link IdentityConfig} they make
 * with the environment ({@code NODE_NAME}, {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}).
 *
 * <p>Defaults: the source is {@code kubelet} inside a pod (KUBERNETES_SERVICE_HOST is set), else
 * {@code none}; the node name is {@code NODE_NAME} (set it from {@code spec.nodeName} with the
 * downward API), else the host name.
 */
public final class IdentitySettings {
  private static final IdentityConfig.Builder D = IdentityConfig.builder();

  public static final Setting<String> SOURCE =
      Setting.choice(
          "identity.source",
          null,
          "where pod metadata comes from (default: kubelet inside a pod, else none)",
          "kubelet",
          "apiserver",
          "none");
  public static final Setting<String> NODE_NAME =
      Setting.text(
          "identity.node-name", "", "this node's name (default: NODE_NAME, else the host name)");
  public static final Setting<URI> KUBELET_URL =
      url("identity.kubelet-url", "the kubelet's /pods URL (default: https://NODE:10250/pods)");
  public static final Setting<URI> APISERVER_URL =
      url("identity.apiserver-url", "the API server (default: from KUBERNETES_SERVICE_HOST)");
  public static final Setting<String> TOKEN_FILE =
      Setting.text("identity.token-file", D.tokenFile.toString(), "the service-account token");
  public static final Setting<String> CA_FILE =
      Setting.text("identity.ca-file", D.caFile.toString(), "the CA that signs the API's TLS");
  public static final Setting<Boolean> INSECURE =
      Setting.flag(
          "identity.insecure-skip-verify", false, "do not verify the kubelet's TLS (tests only)");
  public static final Setting<Duration> REQUEST_TIMEOUT =
      positive("identity.request-timeout", D.requestTimeout, "how long one request may take");
  public static final Setting<Duration> REFRESH_INTERVAL =
      Setting.duration(
          "identity.refresh-interval",
          D.refreshInterval,
          Duration.ZERO,
          Duration.ofHours(1),
          "least time between two refreshes of the pod list");
  public static final Setting<Duration> POD_TTL =
      positive("identity.pod-ttl", D.podTtl, "how long a pod no longer listed is remembered");
  public static final Setting<Duration> LOOKUP_WAIT =
      Setting.duration(
          "identity.lookup-wait",
          D.lookupWait,
          Duration.ZERO,
          Duration.ofMinutes(1),
          "how long a lookup of an unknown container waits for a refresh");
  public static final Setting<Integer> CACHE_SIZE =
      Setting.integer("identity.cache-size", D.cacheSize, 1, 1 << 20, "pods and containers kept");
  public static final Setting<Integer> PROCESS_CACHE_SIZE =
      Setting.integer(
          "identity.process-cache-size", D.processCacheSize, 1, 1 << 22, "processes kept");
  public static final Setting<Duration> PROCESS_TTL =
      positive("identity.process-ttl", D.processTtl, "how long a process's workload is kept");
  public static final Setting<Duration> RETRY_BACKOFF =
      positive("identity.retry-backoff", D.retryBackoff, "first wait after a failed request");
  public static final Setting<Duration> RETRY_BACKOFF_MAX =
      positive("identity.retry-backoff-max", D.retryBackoffMax, "longest wait between retries");
  public static final Setting<Duration> WATCH_TIMEOUT =
      positive("identity.watch-timeout", D.watchTimeout, "how long one API-server WATCH lasts");

  /** Every key identity reads. */
  public static final List<Setting<?>> ALL =
      List.of(
          SOURCE,
          NODE_NAME,
          KUBELET_URL,
          APISERVER_URL,
          TOKEN_FILE,
          CA_FILE,
          INSECURE,
          REQUEST_TIMEOUT,
          REFRESH_INTERVAL,
          POD_TTL,
          LOOKUP_WAIT,
          CACHE_SIZE,
          PROCESS_CACHE_SIZE,
          PROCESS_TTL,
          RETRY_BACKOFF,
          RETRY_BACKOFF_MAX,
          WATCH_TIMEOUT);

  private IdentitySettings() {}

  private static Setting<Duration> positive(String key, Duration def, String description) {
    return Setting.duration(key, def, Duration.ofMillis(1), Duration.ofDays(1), description);
  }

  private static Setting<URI> url(String key, String description) {
    return Setting.of(
        key,
        IdentitySettings::httpsUrl,
        URI::toString,
        "an https://host:port URL",
        null,
        description);
  }

  static URI httpsUrl(String key, String v) {
    URI u;
    try {
      u = new URI(v.strip());
    } catch (URISyntaxException e) {
      throw new IdentityConfigException(key, v, "not a URL (" + e.getReason() + ")");
    }
    if (!"https".equals(u.getScheme()) || u.getHost() == null) {
      throw new IdentityConfigException(
          key,
          v,
          "use an https://host:port URL: the service-account token must not travel in clear");
    }
    return u;
  }

  /** From {@code settings} and this process's environment and host name. */
  public static IdentityConfig config(Settings settings) {
    return config(settings, System.getenv(), IdentitySettings::hostName);
  }

  /** From {@code settings}, {@code env} and {@code hostName} (pure but for the supplier). */
  public static IdentityConfig config(
      Settings s, Map<String, String> env, Supplier<String> hostName) {
    IdentityConfig.Builder b = IdentityConfig.builder();
    String serviceHost = env.get("KUBERNETES_SERVICE_HOST");
    String source = s.isSet(SOURCE) ? s.get(SOURCE) : serviceHost == null ? "none" : "kubelet";
    b.source(IdentityConfig.Source.valueOf(source.toUpperCase(Locale.ROOT)));
    String node = s.isSet(NODE_NAME) ? nonBlank(s, NODE_NAME) : env.getOrDefault("NODE_NAME", "");
    b.nodeName(node.isBlank() ? hostName.get() : node.strip());
    Optional.ofNullable(s.get(KUBELET_URL)).ifPresent(b::kubeletUrl);
    Optional<URI> api = Optional.ofNullable(s.get(APISERVER_URL));
    if (api.isEmpty() && serviceHost != null) {
      String host = serviceHost.contains(":") ? "[" + serviceHost + "]" : serviceHost;
      api =
          Optional.of(
              URI.create(
                  "https://" + host + ":" + env.getOrDefault("KUBERNETES_SERVICE_PORT", "443")));
    }
    api.ifPresent(b::apiServerUrl);
    b.tokenFile(Path.of(nonBlank(s, TOKEN_FILE)));
    b.caFile(Path.of(nonBlank(s, CA_FILE)));
    b.insecureSkipVerify(s.get(INSECURE));
    b.requestTimeout(s.get(REQUEST_TIMEOUT));
    b.refreshInterval(s.get(REFRESH_INTERVAL));
    b.podTtl(s.get(POD_TTL));
    b.lookupWait(s.get(LOOKUP_WAIT));
    b.cacheSize(s.get(CACHE_SIZE));
    b.processCacheSize(s.get(PROCESS_CACHE_SIZE));
    b.processTtl(s.get(PROCESS_TTL));
    b.retryBackoff(s.get(RETRY_BACKOFF), s.get(RETRY_BACKOFF_MAX));
    b.watchTimeout(s.get(WATCH_TIMEOUT));
    IdentityConfig c = b.build();
    if (c.source() == IdentityConfig.Source.APISERVER && c.apiServerUrl() == null) {
      throw new IdentityConfigException(
          SOURCE.key(),
          "apiserver",
          "the API server address is unknown (KUBERNETES_SERVICE_HOST is not set: not in a pod?);"
              + " set "
              + APISERVER_URL.key()
              + "=https://<host>:<port>");
    }
    return c;
  }

  private static String nonBlank(Settings s, Setting<String> key) {
    String v = s.get(key);
    if (v.isBlank()) {
      throw new IdentityConfigException(
          key.key(), v, "empty; remove the setting to use the default");
    }
    return v.strip();
  }

  /** The host name from the kernel (no DNS lookup), else "localhost". */
  static String hostName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
