package dev.aiprof.collectors.otlp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * OTLP/HTTP on the JDK's {@link HttpServer}: one context at {@code /} served by {@link
 * HttpTracesHandler} on the given executor.
 *
 * <p>Lifecycle: {@link #start} binds (throws when it cannot), {@link #close} stops at once. The
 * executor belongs to the caller. Thread-safe.
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
  static HttpReceiver start(ListenAddress address, HttpTracesHandler handler, Executor executor)
      throws IOException {
    InetSocketAddress bind =
        Listening.resolve("OTLP/HTTP", OtlpSettings.HTTP_ADDRESS.key(), address);
    HttpServer server;
    try {
      server = HttpServer.create(bind, 0);
    } catch (IOException e) {
      throw Listening.failure("OTLP/HTTP", OtlpSettings.HTTP_ADDRESS.key(), address, e);
    }
    server.createContext("/", handler);
    server.setExecutor(executor);
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
