package dev.aiprof.collectors.otlp;

import java.net.InetSocketAddress;

/**
 * Where one receiver listens: {@code host:port} ({@code 127.0.0.1:4317}, {@code [::1]:4318}, {@code
 * localhost:0}), or {@code off} to not listen on that transport. Port 0 lets the kernel pick a free
 * port (tests); the bound port is then read from the running receiver.
 *
 * @param host a host name or address literal (without brackets), or null when off
 * @param port 0–65535
 */
public record ListenAddress(String host, int port) {
  /** The value that turns a transport off. */
  public static final String OFF = "off";

  /** Whether this transport is switched off. */
  public boolean off() {
    return host == null;
  }

  /** An unresolved socket address; resolved when the receiver binds. */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    if (off()) {
      return OFF;
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Parses a setting's value.
   *
   * @param key the setting, for the error message
   * @throws IllegalArgumentException naming the key, the value and the accepted form
   */
  public static ListenAddress parse(String key, String value) {
    String v = value.strip();
    if (v.equalsIgnoreCase(OFF)) {
      return new ListenAddress(null, 0);
    }
    int colon = v.lastIndexOf(':');
    if (colon <= 0 || colon == v.length() - 1) {
      throw invalid(key, value, "give a host and a port");
    }
    String host = v.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw invalid(key, value, "put an IPv6 address in brackets, e.g. [::1]:4317");
    }
    if (host.isBlank()) {
      throw invalid(key, value, "give a host and a port");
    }
    return new ListenAddress(host, port(key, value, v.substring(colon + 1)));
  }

  private static int port(String key, String value, String text) {
    if (!text.chars().allMatch(Character::isDigit) || text.length() > 5) {
      throw invalid(key, value, "the port must be a number from 0 to 65535");
    }
    int port = Integer.parseInt(text);
    if (port > 65_535) {
      throw invalid(key, value, "the port must be a number from 0 to 65535");
    }
    return port;
  }

  private static IllegalArgumentException invalid(String key, String value, String why) {
    return new IllegalArgumentException(
        "invalid "
            + key
            + " '"
            + value
            + "': "
            + why
            + " (host:port, e.g. 127.0.0.1:4317; port 0 picks a free port; 'off' disables it)");
  }
}
