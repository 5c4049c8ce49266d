package dev.aiprof.collectors.otlp;

import com.sun.net.httpserver.HttpServer;
import dev.aiprof.api.http.HttpServers;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * OTLP/HTTP on the JDK's {@link HttpServer}, hardened by {@link HttpServers} (a virtual thread per
 * exchange, request and response deadlines, a connection cap, a real backlog): one context at
 * {@code /} served by {@link HttpTracesHandler}.
 *
 * <p>Lifecycle: {@link #start} binds (throws when it cannot), {@link #close} stops at once.
 * Thread-safe.
 */
final class HttpReceiver implements AutoCloseable {
  private final HttpServer server;

  private HttpReceiver(HttpServer server) {
    this.server = server;
  }

  /**
   * Binds and starts.
   *
   * @throws IOException naming the address and how to change it, when it cannot bind
   */
  static HttpReceiver start(ListenAddress address, HttpTracesHandler handler) throws IOException {
    InetSocketAddress bind =
        Listening.resolve("OTLP/HTTP", OtlpSettings.HTTP_ADDRESS.key(), address);
    HttpServer server;
    try {
      server = HttpServers.create(bind, "aiprof-otlp-http");
    } catch (IOException e) {
      throw Listening.failure("OTLP/HTTP", OtlpSettings.HTTP_ADDRESS.key(), address, e);
    }
    server.createContext("/", handler);
    server.start();
    return new HttpReceiver(server);
  }

  /** The address it listens on (the real port when configured with 0). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
