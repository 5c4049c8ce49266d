package dev.aiprof.api.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Creates the agent's HTTP servers (the OTLP/HTTP receiver and the metrics/health endpoint) so that
 * a few slow or greedy clients cannot stall them:
 *
 * <ul>
 *   <li>every exchange runs on its own virtual thread, so a client that sends its headers or body
 *       slowly holds only its own (cheap) thread, never a pool that others wait for;
 *   <li>a request (request line, headers and body) must arrive within {@value #MAX_REQUEST_SECONDS}
 *       s and its response be taken within {@value #MAX_RESPONSE_SECONDS} s, or the connection is
 *       closed; idle keep-alive connections close after {@value #IDLE_SECONDS} s, a connection that
 *       sends nothing after {@value #MAX_REQUEST_SECONDS} s (checked every second);
 *   <li>at most {@value #MAX_CONNECTIONS} connections per server (more are closed at accept), at
 *       most {@value #MAX_IDLE_CONNECTIONS} idle ones kept, at most {@value #MAX_HEADERS} headers
 *       of {@value #MAX_HEADER_BYTES} bytes in all per request;
 *   <li>a listen backlog of {@value #BACKLOG}.
 * </ul>
 *
 * <p>The JDK reads these limits from system properties once, when the first server of the process
 * is created; {@link #configure} sets the ones the user did not set, and every method here calls it
 * first. A user's own {@code -Dsun.net.httpserver.*} wins. Thread-safe.
 */
public final class HttpServers {
  public static final int BACKLOG = 128;
  public static final int MAX_REQUEST_SECONDS = 10;
  public static final int MAX_RESPONSE_SECONDS = 10;
  public static final int IDLE_SECONDS = 30;
  public static final int MAX_CONNECTIONS = 256;
  public static final int MAX_IDLE_CONNECTIONS = 32;
  public static final int MAX_HEADERS = 64;
  public static final int MAX_HEADER_BYTES = 16 * 1024;

  /** The JDK's property names and the agent's values. */
  static final Map<String, String> LIMITS =
      Map.of(
          "sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS),
          "sun.net.httpserver.maxRspTime", Integer.toString(MAX_RESPONSE_SECONDS),
          "sun.net.httpserver.idleInterval", Integer.toString(IDLE_SECONDS),
          "sun.net.httpserver.clockTick", "1000",
          "jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS),
          "sun.net.httpserver.maxIdleConnections", Integer.toString(MAX_IDLE_CONNECTIONS),
          "sun.net.httpserver.maxReqHeaders", Integer.toString(MAX_HEADERS),
          "sun.net.httpserver.maxReqHeaderSize", Integer.toString(MAX_HEADER_BYTES));

  private HttpServers() {}

  /** Sets the limits the user did not set (idempotent; effective before the first server). */
  public static synchronized void configure() {
    LIMITS.forEach(
        (k, v) -> {
          if (System.getProperty(k) == null) {
            System.setProperty(k, v);
          }
        });
  }

  /**
   * A bound, not yet started server whose exchanges run on virtual threads named {@code name-N}.
   *
   * @throws IOException when it cannot bind
   */
  public static HttpServer create(InetSocketAddress address, String name) throws IOException {
    configure();
    HttpServer server = HttpServer.create(address, BACKLOG);
    server.setExecutor(executor(name));
    return server;
  }

  /** One virtual thread per exchange; bounded by the connection cap (one exchange each). */
  static Executor executor(String name) {
    java.util.concurrent.ThreadFactory f = Thread.ofVirtual().name(name + "-", 1).factory();
    return r -> f.newThread(r).start();
  }
}
