package dev.aiprof.agent.identity;

import dev.aiprof.api.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads an {@link IdentityConfig} from string settings ({@code identity.source=kubelet}, {@code
 * identity.kubelet-url=https://10.0.0.5:10250/pods}, ...) and the environment ({@code NODE_NAME},
 * {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}). Keys outside {@code identity.} are ignored; an
 * unknown {@code identity.} key or a bad value throws {@link IdentityConfigException}.
 *
 * <p>Defaults: the source is {@code kubelet} inside a pod (KUBERNETES_SERVICE_HOST is set), else
 * {@code none}; the node name is {@code NODE_NAME} (set it from {@code spec.nodeName} with the
 * downward API), else the host name.
 */
public final class IdentitySettings {
  public static final String PREFIX = "identity.";
  public static final String SOURCE = "identity.source";
  public static final String NODE_NAME = "identity.node-name";
  public static final String KUBELET_URL = "identity.kubelet-url";
  public static final String APISERVER_URL = "identity.apiserver-url";
  public static final String TOKEN_FILE = "identity.token-file";
  public static final String CA_FILE = "identity.ca-file";
  public static final String INSECURE = "identity.insecure-skip-verify";
  public static final String REQUEST_TIMEOUT = "identity.request-timeout";
  public static final String REFRESH_INTERVAL = "identity.refresh-interval";
  public static final String POD_TTL = "identity.pod-ttl";
  public static final String LOOKUP_WAIT = "identity.lookup-wait";
  public static final String CACHE_SIZE = "identity.cache-size";
  public static final String PROCESS_CACHE_SIZE = "identity.process-cache-size";
  public static final String PROCESS_TTL = "identity.process-ttl";
  public static final String RETRY_BACKOFF = "identity.retry-backoff";
  public static final String RETRY_BACKOFF_MAX = "identity.retry-backoff-max";
  public static final String WATCH_TIMEOUT = "identity.watch-timeout";

  /** Every key this class reads. */
  public static final Set<String> KEYS =
      Set.of(
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

  /** From {@code settings} and this process's environment and host name. */
  public static IdentityConfig parse(Map<String, String> settings) {
    return parse(settings, System.getenv(), IdentitySettings::hostName);
  }

  /** From {@code settings}, {@code env} and {@code hostName} (pure but for the supplier). */
  public static IdentityConfig parse(
      Map<String, String> settings, Map<String, String> env, Supplier<String> hostName) {
    for (String key : settings.keySet()) {
      if (key.startsWith(PREFIX) && !KEYS.contains(key)) {
        throw new IdentityConfigException(
            key, settings.get(key), "unknown setting; known ones: " + new TreeSet<>(KEYS));
      }
    }
    Reader r = new Reader(settings);
    IdentityConfig.Builder b = IdentityConfig.builder();
    String serviceHost = env.get("KUBERNETES_SERVICE_HOST");
    b.source(r.source(serviceHost == null ? "none" : "kubelet"));
    String node = r.text(NODE_NAME, env.getOrDefault("NODE_NAME", ""));
    b.nodeName(node.isBlank() ? hostName.get() : node.strip());
    r.url(KUBELET_URL).ifPresent(b::kubeletUrl);
    Optional<URI> api = r.url(APISERVER_URL);
    if (api.isEmpty() && serviceHost != null) {
      String host = serviceHost.contains(":") ? "[" + serviceHost + "]" : serviceHost;
      api =
          Optional.of(
              URI.create(
                  "https://" + host + ":" + env.getOrDefault("KUBERNETES_SERVICE_PORT", "443")));
    }
    api.ifPresent(b::apiServerUrl);
    b.tokenFile(Path.of(r.text(TOKEN_FILE, b.tokenFile.toString())));
    b.caFile(Path.of(r.text(CA_FILE, b.caFile.toString())));
    b.insecureSkipVerify(r.flag(INSECURE, false));
    b.requestTimeout(r.positive(REQUEST_TIMEOUT, b.requestTimeout));
    b.refreshInterval(r.duration(REFRESH_INTERVAL, b.refreshInterval));
    b.podTtl(r.positive(POD_TTL, b.podTtl));
    b.lookupWait(r.duration(LOOKUP_WAIT, b.lookupWait));
    b.cacheSize(r.count(CACHE_SIZE, b.cacheSize));
    b.processCacheSize(r.count(PROCESS_CACHE_SIZE, b.processCacheSize));
    b.processTtl(r.positive(PROCESS_TTL, b.processTtl));
    b.retryBackoff(
        r.positive(RETRY_BACKOFF, b.retryBackoff),
        r.positive(RETRY_BACKOFF_MAX, b.retryBackoffMax));
    b.watchTimeout(r.positive(WATCH_TIMEOUT, b.watchTimeout));
    IdentityConfig c = b.build();
    if (c.source() == IdentityConfig.Source.APISERVER && c.apiServerUrl() == null) {
      throw new IdentityConfigException(
          SOURCE,
          "apiserver",
          "the API server address is unknown (KUBERNETES_SERVICE_HOST is not set: not in a pod?);"
              + " set "
              + APISERVER_URL
              + "=https://<host>:<port>");
    }
    return c;
  }

  /** The host name from the kernel (no DNS lookup), else "localhost". */
  static String hostName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** Reads typed values, throwing errors that name the key. */
  private record Reader(Map<String, String> s) {
    String text(String key, String fallback) {
      String v = s.get(key);
      if (v == null) {
        return fallback;
      }
      if (v.isBlank()) {
        throw new IdentityConfigException(key, v, "empty; remove the setting to use the default");
      }
      return v.strip();
    }

    IdentityConfig.Source source(String fallback) {
      String v = text(SOURCE, fallback);
      try {
        return IdentityConfig.Source.valueOf(v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IdentityConfigException(
            SOURCE, v, "unknown pod metadata source; use kubelet, apiserver or none");
      }
    }

    Optional<URI> url(String key) {
      String v = s.get(key);
      if (v == null) {
        return Optional.empty();
      }
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
      return Optional.of(u);
    }

    boolean flag(String key, boolean fallback) {
      String v = text(key, Boolean.toString(fallback));
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IdentityConfigException(key, v, "use true or false");
      };
    }

    Duration duration(String key, Duration fallback) {
      String v = s.get(key);
      if (v == null) {
        return fallback;
      }
      try {
        return Durations.parse(key, v);
      } catch (IllegalArgumentException e) {
        throw new IdentityConfigException(
            key, v, "not a duration; use a number and a unit (ms, s, m, h), e.g. 5s");
      }
    }

    Duration positive(String key, Duration fallback) {
      Duration d = duration(key, fallback);
      if (d.isZero()) {
        throw new IdentityConfigException(key, s.get(key), "must be more than 0, e.g. 5s");
      }
      return d;
    }

    int count(String key, int fallback) {
      String v = s.get(key);
      if (v == null) {
        return fallback;
      }
      try {
        int n = Integer.parseInt(v.strip());
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through to the error
      }
      throw new IdentityConfigException(key, v, "use a whole number above 0, e.g. " + fallback);
    }
  }
}
