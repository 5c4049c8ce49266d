package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.settings.SettingException;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.api.settings.SettingsCatalog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentitySettingsTest {
  static final Map<String, String> IN_POD =
      Map.of(
          "KUBERNETES_SERVICE_HOST", "10.96.0.1",
          "KUBERNETES_SERVICE_PORT", "443",
          "NODE_NAME", "gpu-node-1");

  static IdentityConfig parse(Map<String, String> settings, Map<String, String> env) {
    Settings s = SettingsCatalog.of(IdentitySettings.ALL).validate(settings);
    return IdentitySettings.config(s, env, () -> "host-from-kernel");
  }

  @Test
  void inAPodTheDefaultsAreTheKubeletOfThisNode() {
    IdentityConfig c = parse(Map.of(), IN_POD);
    assertThat(c.source()).isEqualTo(IdentityConfig.Source.KUBELET);
    assertThat(c.nodeName()).isEqualTo("gpu-node-1");
    assertThat(c.kubeletUrl()).isEqualTo(URI.create("https://gpu-node-1:10250/pods"));
    assertThat(c.apiServerUrl()).isEqualTo(URI.create("https://10.96.0.1:443"));
    assertThat(c.tokenFile())
        .isEqualTo(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
    assertThat(c.caFile())
        .isEqualTo(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"));
    assertThat(c.insecureSkipVerify()).isFalse();
  }

  @Test
  void outsideKubernetesThereIsNoSourceAndTheNodeIsTheHostName() {
    IdentityConfig c = parse(Map.of(), Map.of());
    assertThat(c.source()).isEqualTo(IdentityConfig.Source.NONE);
    assertThat(c.nodeName()).isEqualTo("host-from-kernel");
    assertThat(c.apiServerUrl()).isNull();
  }

  @Test
  void everyKeyIsRead() {
    IdentityConfig c =
        parse(
            Map.ofEntries(
                Map.entry("identity.source", "apiserver"),
                Map.entry("identity.node-name", "n1"),
                Map.entry("identity.kubelet-url", "https://10.0.0.5:10250/pods"),
                Map.entry("identity.apiserver-url", "https://[fd00::1]:6443"),
                Map.entry("identity.token-file", "/t"),
                Map.entry("identity.ca-file", "/c"),
                Map.entry("identity.insecure-skip-verify", "true"),
                Map.entry("identity.request-timeout", "2s"),
                Map.entry("identity.refresh-interval", "0"),
                Map.entry("identity.pod-ttl", "1m"),
                Map.entry("identity.lookup-wait", "50ms"),
                Map.entry("identity.cache-size", "10"),
                Map.entry("identity.process-cache-size", "20"),
                Map.entry("identity.process-ttl", "30s"),
                Map.entry("identity.retry-backoff", "100ms"),
                Map.entry("identity.retry-backoff-max", "5s"),
                Map.entry("identity.watch-timeout", "10m")),
            Map.of());
    assertThat(c)
        .isEqualTo(
            new IdentityConfig(
                IdentityConfig.Source.APISERVER,
                "n1",
                URI.create("https://10.0.0.5:10250/pods"),
                URI.create("https://[fd00::1]:6443"),
                Path.of("/t"),
                Path.of("/c"),
                true,
                Duration.ofSeconds(2),
                Duration.ZERO,
                Duration.ofMinutes(1),
                Duration.ofMillis(50),
                10,
                20,
                Duration.ofSeconds(30),
                Duration.ofMillis(100),
                Duration.ofSeconds(5),
                Duration.ofMinutes(10)));
  }

  @Test
  void ipv6ServiceHostsAreBracketed() {
    IdentityConfig c =
        parse(
            Map.of(),
            Map.of("KUBERNETES_SERVICE_HOST", "fd00::1", "KUBERNETES_SERVICE_PORT", "6443"));
    assertThat(c.apiServerUrl()).isEqualTo(URI.create("https://[fd00::1]:6443"));
  }

  @Test
  void errorsNameTheKeyTheValueAndTheFix() {
    assertError(
        Map.of("identity.source", "kubelt"),
        "invalid identity.source 'kubelt': use one of kubelet, apiserver, none");
    assertError(
        Map.of("identity.kubelet-ur", "x"),
        "unknown setting 'identity.kubelet-ur': did you mean 'identity.kubelet-url'?");
    assertError(
        Map.of("identity.kubelet-url", "http://n:10255/pods"),
        "identity.kubelet-url=http://n:10255/pods: use an https://host:port URL");
    assertError(
        Map.of("identity.kubelet-url", "https://a b"),
        "identity.kubelet-url=https://a b: not a URL");
    assertError(
        Map.of("identity.insecure-skip-verify", "yes"),
        "invalid identity.insecure-skip-verify 'yes': use true or false");
    assertError(
        Map.of("identity.request-timeout", "5"),
        "invalid identity.request-timeout '5': use a duration from 1ms to 24h");
    assertError(Map.of("identity.pod-ttl", "0"), "invalid identity.pod-ttl '0': use a duration");
    assertError(
        Map.of("identity.cache-size", "-3"),
        "invalid identity.cache-size '-3': use a whole number from 1 to 1048576");
    assertError(
        Map.of("identity.node-name", " "), "identity.node-name=: empty; remove the setting");
    assertError(
        Map.of("identity.source", "apiserver"),
        "identity.source=apiserver: the API server address is unknown");
  }

  @Test
  void theExceptionNamesTheKey() {
    assertThatThrownBy(() -> parse(Map.of("identity.cache-size", "many"), Map.of()))
        .isInstanceOfSatisfying(
            SettingException.class, e -> assertThat(e.key()).isEqualTo("identity.cache-size"));
  }

  private static void assertError(Map<String, String> settings, String message) {
    assertThatThrownBy(() -> parse(settings, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
