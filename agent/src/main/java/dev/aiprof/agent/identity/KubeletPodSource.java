package dev.aiprof.agent.identity;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * Pod metadata from the kubelet's read-only-by-token {@code GET https://<node>:10250/pods}: one
 * request per {@link #pods()}, no state of its own (the {@link PodCache} above decides when to
 * ask). The service account needs {@code get} on {@code nodes/proxy}.
 *
 * <p>Thread-safe; closing aborts a request in flight.
 */
final class KubeletPodSource implements PodSource {
  private final KubeClient client;
  private final URI podsUrl;

  public KubeletPodSource(KubeClient client, URI podsUrl) {
    this.client = client;
    this.podsUrl = podsUrl;
  }

  @Override
  public List<Pod> pods() throws IOException {
    return PodJson.podList(client.get(podsUrl)).pods();
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "kubelet " + podsUrl;
  }
}
