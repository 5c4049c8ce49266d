package dev.aiprof.agent.identity;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How workload identity finds pod metadata, and how much it caches. Build with {@link #builder()}
 * or from settings with {@link IdentitySettings#parse}. Immutable.
 *
 * @param source where pod metadata comes from
 * @param nodeName this node's name (k8s.node.name, the kubelet host, the API server field selector)
 * @param kubeletUrl the kubelet's pods endpoint, {@code https://<node>:10250/pods} by default
 * @param apiServerUrl the API server, from KUBERNETES_SERVICE_HOST/_PORT by default (may be null
 *     unless the source is the API server)
 * @param tokenFile the service-account token, read again when it changes
 * @param caFile the CA bundle that signs the kubelet's or API server's serving certificate
 * @param insecureSkipVerify accept any serving certificate (self-signed kubelets); off by default
 * @param requestTimeout bound of one HTTP request, connection included
 * @param refreshInterval least time between two pod refreshes triggered by unknown container ids
 * @param podTtl how long a pod entry lives without a refresh that sees it
 * @param lookupWait how long a lookup waits for a refresh it triggered (0: never waits)
 * @param cacheSize most containers (and pods) kept
 * @param processCacheSize most processes and cgroups whose workload is kept
 * @param processTtl how long a process's resolved workload is kept
 * @param retryBackoff first wait after an API server error
 * @param retryBackoffMax longest wait after repeated API server errors
 * @param watchTimeout how long one API server watch stays open before it is renewed
 */
public record IdentityConfig(
    Source source,
    String nodeName,
    URI kubeletUrl,
    URI apiServerUrl,
    Path tokenFile,
    Path caFile,
    boolean insecureSkipVerify,
    Duration requestTimeout,
    Duration refreshInterval,
    Duration podTtl,
    Duration lookupWait,
    int cacheSize,
    int processCacheSize,
    Duration processTtl,
    Duration retryBackoff,
    Duration retryBackoffMax,
    Duration watchTimeout) {

  /** Where pod metadata comes from. */
  public enum Source {
    /** GET /pods from this node's kubelet. */
    KUBELET,
    /** LIST+WATCH pods with spec.nodeName=this node from the API server. */
    APISERVER,
    /** No pod metadata: containers are named by id, units and processes as usual. */
    NONE
  }

  public static final Path SERVICE_ACCOUNT =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  /** Settings with their defaults, from the environment of this process. */
  public static IdentityConfig defaults() {
    return IdentitySettings.config(dev.aiprof.api.settings.Settings.defaults());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link IdentityConfig}; unset fields take the defaults. */
  public static final class Builder {
    Source source = Source.NONE;
    String nodeName = "";
    URI kubeletUrl;
    URI apiServerUrl;
    Path tokenFile = SERVICE_ACCOUNT.resolve("token");
    Path caFile = SERVICE_ACCOUNT.resolve("ca.crt");
    boolean insecureSkipVerify;
    Duration requestTimeout = Duration.ofSeconds(5);
    Duration refreshInterval = Duration.ofSeconds(5);
    Duration podTtl = Duration.ofMinutes(10);
    Duration lookupWait = Duration.ofMillis(250);
    int cacheSize = 4096;
    int processCacheSize = 16384;
    Duration processTtl = Duration.ofMinutes(1);
    Duration retryBackoff = Duration.ofSeconds(1);
    Duration retryBackoffMax = Duration.ofMinutes(1);
    Duration watchTimeout = Duration.ofMinutes(5);

    private Builder() {}

    public Builder source(Source v) {
      source = v;
      return this;
    }

    public Builder nodeName(String v) {
      nodeName = v;
      return this;
    }

    public Builder kubeletUrl(URI v) {
      kubeletUrl = v;
      return this;
    }

    public Builder apiServerUrl(URI v) {
      apiServerUrl = v;
      return this;
    }

    public Builder tokenFile(Path v) {
      tokenFile = v;
      return this;
    }

    public Builder caFile(Path v) {
      caFile = v;
      return this;
    }

    public Builder insecureSkipVerify(boolean v) {
      insecureSkipVerify = v;
      return this;
    }

    public Builder requestTimeout(Duration v) {
      requestTimeout = v;
      return this;
    }

    public Builder refreshInterval(Duration v) {
      refreshInterval = v;
      return this;
    }

    public Builder podTtl(Duration v) {
      podTtl = v;
      return this;
    }

    public Builder lookupWait(Duration v) {
      lookupWait = v;
      return this;
    }

    public Builder cacheSize(int v) {
      cacheSize = v;
      return this;
    }

    public Builder processCacheSize(int v) {
      processCacheSize = v;
      return this;
    }

    public Builder processTtl(Duration v) {
      processTtl = v;
      return this;
    }

    public Builder retryBackoff(Duration min, Duration max) {
      retryBackoff = min;
      retryBackoffMax = max;
      return this;
    }

    public Builder watchTimeout(Duration v) {
      watchTimeout = v;
      return this;
    }

    public IdentityConfig build() {
      URI kubelet =
          kubeletUrl != null || nodeName.isEmpty()
              ? kubeletUrl
              : URI.create("https://" + nodeName + ":10250/pods");
      return new IdentityConfig(
          source,
          nodeName,
          kubelet,
          apiServerUrl,
          tokenFile,
          caFile,
          insecureSkipVerify,
          requestTimeout,
          refreshInterval,
          podTtl,
          lookupWait,
          cacheSize,
          processCacheSize,
          processTtl,
          retryBackoff,
          retryBackoffMax,
          watchTimeout);
    }
  }
}
