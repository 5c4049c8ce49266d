package dev.aiprof.agent.identity;

import java.io.IOException;
import java.nio.file.Files;
import javax.net.ssl.SSLContext;

/** Opens the {@link PodSource} an {@link IdentityConfig} asks for, checking its files first. */
final class PodSources {
  private static final System.Logger LOG = System.getLogger(PodSources.class.getName());

  private PodSources() {}

  /**
   * @throws IdentityConfigException if the token file is missing or the CA file unusable
   */
  public static PodSource open(IdentityConfig c) {
    if (c.source() == IdentityConfig.Source.NONE) {
      return PodSource.NONE;
    }
    if (!Files.isReadable(c.tokenFile())) {
      throw new IdentityConfigException(
          IdentitySettings.TOKEN_FILE.key(),
          c.tokenFile().toString(),
          "no readable service-account token there; mount one (automountServiceAccountToken:"
              + " true) or point "
              + IdentitySettings.TOKEN_FILE.key()
              + " at it");
    }
    KubeClient client = new KubeClient(tls(c), new TokenFile(c.tokenFile()), c.requestTimeout());
    if (c.source() == IdentityConfig.Source.KUBELET) {
      return new KubeletPodSource(client, c.kubeletUrl());
    }
    return new ApiServerPodSource(
            client,
            c.apiServerUrl(),
            c.nodeName(),
            c.retryBackoff(),
            c.retryBackoffMax(),
            c.watchTimeout())
        .start();
  }

  private static SSLContext tls(IdentityConfig c) {
    if (c.insecureSkipVerify()) {
      LOG.log(
          System.Logger.Level.WARNING,
          IdentitySettings.INSECURE.key()
              + "=true: the serving certificate of "
              + (c.source() == IdentityConfig.Source.KUBELET ? c.kubeletUrl() : c.apiServerUrl())
              + " is not verified; anyone on the path can read the service-account token");
      return TlsContexts.insecure();
    }
    try {
      return TlsContexts.trusting(c.caFile());
    } catch (IOException e) {
      throw new IdentityConfigException(
          IdentitySettings.CA_FILE.key(),
          c.caFile().toString(),
          "cannot use it as the CA bundle ("
              + e.getMessage()
              + "); point it at the cluster CA, or set "
              + IdentitySettings.INSECURE.key()
              + "=true for a kubelet with a self-signed serving certificate");
    }
  }
}
