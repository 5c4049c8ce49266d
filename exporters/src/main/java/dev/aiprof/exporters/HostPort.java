package dev.aiprof.exporters;

/** A listen address: {@code host:port}, {@code [v6]:port}, or {@code :port} (loopback). */
public record HostPort(String host, int port) {
  /**
   * @param what the option, for the error message
   * @throws IllegalArgumentException naming the value and the accepted form
   */
  public static HostPort parse(String what, String text) {
    String t = text.strip();
    int colon = t.lastIndexOf(':');
    if (colon >= 0) {
      String host = t.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        int port = Integer.parseInt(t.substring(colon + 1));
        if (port >= 0 && port <= 65535 && (host.isEmpty() || !host.contains(" "))) {
          return new HostPort(host.isEmpty() ? "127.0.0.1" : host, port);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(
        "invalid "
            + what
            + " '"
            + text
            + "': use host:port, e.g. 127.0.0.1:9464 (0.0.0.0:9464 with "
            + ExporterProperties.PROMETHEUS_LISTEN_PUBLIC
            + "=true to listen on every interface)");
  }
}
