package dev.aiprof.agent.identity;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A kubelet or API server stand-in: JDK {@link HttpsServer} on 127.0.0.1 with a certificate from
 * {@link TestTls}, answering recorded responses. It checks {@code Authorization: Bearer <token>}
 * and answers 401 with a Kubernetes Status without it, as the kubelet does.
 */
public final class KubeServer implements AutoCloseable {
  /** Answers one request; {@code n} counts the requests to this route, from 1. */
  public interface Responder {
    void respond(HttpExchange ex, int n) throws IOException;
  }

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile String token;

  private KubeServer(String token) throws IOException {
    this.token = token;
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext()));
    server.setExecutor(executor);
    server.start();
  }

  public static KubeServer start(String token) {
    try {
      return new KubeServer(token);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers requests whose path is {@code path} (query ignored) with {@code r}. */
  public KubeServer route(String path, Responder r) {
    int[] count = {0};
    server.createContext(
        path,
        ex -> {
          try (ex) {
            requests.add(ex.getRequestURI().toString());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + token).equals(auth)) {
              send(ex, 401, status(401, "Unauthorized"));
              return;
            }
            int n;
            synchronized (count) {
              n = ++count[0];
            }
            r.respond(ex, n);
          } catch (IOException e) {
            // the client went away (closed watch): nothing to answer
          }
        });
    return this;
  }

  /** Accepts only {@code newToken} from now on (a rotation). */
  void acceptOnly(String newToken) {
    token = newToken;
  }

  public URI uri(String pathAndQuery) {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
  }

  /** Request URIs (path and query) in arrival order, refused ones included. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  public static Responder json(byte[] body) {
    return (ex, n) -> send(ex, 200, body);
  }

  /** The n-th request gets bodies[n-1]; later ones the last body. */
  static Responder sequence(byte[]... bodies) {
    return (ex, n) -> send(ex, 200, bodies[Math.min(n, bodies.length) - 1]);
  }

  static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  static byte[] status(int code, String reason) {
    return ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\""
            + reason
            + "\",\"reason\":\""
            + reason
            + "\",\"code\":"
            + code
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Writes a token file for the client. */
  public static Path tokenFile(Path dir, String token) throws IOException {
    return Files.writeString(dir.resolve("token"), token + "\n");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
