package dev.aiprof.collectors.otlp;

import java.io.IOException;
import java.net.InetSocketAddress;

/** The start-failure message both receivers give when they cannot listen. */
final class Listening {
  private Listening() {}

  /** The address to bind, resolved. */
  static InetSocketAddress resolve(String what, String key, ListenAddress address)
      throws IOException {
    InetSocketAddress a = address.socketAddress();
    if (a.isUnresolved()) {
      throw failure(what, key, address, new IOException("cannot resolve " + address.host()));
    }
    return a;
  }

  /**
   * An exception naming the transport, the address, the cause and how to change it, e.g. "OTLP/gRPC
   * receiver cannot listen on 127.0.0.1:4317: address already in use (another OTLP receiver or
   * collector?); set otlp.grpc-address=host:port to another port, 'off' to not listen, or
   * otlp.enabled=false".
   */
  static IOException failure(String what, String key, ListenAddress address, IOException e) {
    String why =
        inUse(e) ? "address already in use (another OTLP receiver or collector?)" : cause(e);
    return new IOException(
        what
            + " receiver cannot listen on "
            + address
            + ": "
            + why
            + "; set "
            + key
            + "=host:port to another port, 'off' to not listen, or "
            + OtlpSettings.ENABLED.key()
            + "=false",
        e);
  }

  /** EADDRINUSE, whether the JDK ({@link BindException}) or Netty's native transport saw it. */
  private static boolean inUse(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && m.toLowerCase().contains("address already in use")) {
        return true;
      }
    }
    return false;
  }

  private static String cause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
