package dev.aiprof.agent.identity;

import java.io.IOException;
import java.net.URI;

/** The kubelet or API server answered with an HTTP status other than 200. */
final class KubeApiException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public KubeApiException(int status, URI uri, String body) {
    super("GET " + uri.getPath() + " answered " + status + hint(status) + body(body));
    this.status = status;
  }

  public int status() {
    return status;
  }

  private static String hint(int status) {
    return switch (status) {
      case 401 -> " (the service-account token was refused: is it current and for this cluster?)";
      case 403 ->
          " (grant the agent's service account get on nodes/proxy for the kubelet,"
              + " or list and watch on pods for the API server)";
      case 410 -> " (resource version too old: list again)";
      default -> "";
    };
  }

  private static String body(String body) {
    String b = body.strip();
    if (b.isEmpty()) {
      return "";
    }
    return ": " + (b.length() > 300 ? b.substring(0, 300) + "..." : b);
  }
}
