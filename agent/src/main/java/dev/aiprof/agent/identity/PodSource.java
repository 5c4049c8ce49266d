package dev.aiprof.agent.identity;

import java.io.IOException;
import java.util.List;

/**
 * Where pod metadata for this node comes from: the kubelet's {@code /pods} ({@link
 * KubeletPodSource}) or a LIST+WATCH of the API server ({@link ApiServerPodSource}).
 *
 * <p>Implementations are thread-safe. {@link #close()} is idempotent.
 */
interface PodSource extends AutoCloseable {

  /** No pod metadata (outside Kubernetes). */
  PodSource NONE =
      new PodSource() {
        @Override
        public List<Pod> pods() {
          return List.of();
        }

        @Override
        public void close() {}
      };

  /**
   * The pods on this node now. May do network I/O, bounded by the configured request timeout.
   *
   * @throws IOException if the source cannot answer (unreachable, refused, not synced yet)
   */
  List<Pod> pods() throws IOException;

  @Override
  void close();
}
