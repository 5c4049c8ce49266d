package dev.aiprof.agent.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * HTTPS GETs to the kubelet or the API server with the service-account bearer token. A 401 makes it
 * read the token file again and retry once (the token may have just rotated). Every call is bounded
 * by the request timeout, body included for {@link #get}.
 *
 * <p>Thread-safe. {@link #close()} aborts requests in flight (a watch stream among them).
 */
final class KubeClient implements AutoCloseable {
  private final HttpClient http;
  private final TokenFile token;
  private final Duration timeout;

  public KubeClient(SSLContext ssl, TokenFile token, Duration timeout) {
    this.http =
        HttpClient.newBuilder()
            .sslContext(ssl)
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.token = token;
    this.timeout = timeout;
  }

  /** The bound of one request. */
  public Duration timeout() {
    return timeout;
  }

  /** GETs {@code uri} and returns the whole body of a 200 answer. */
  public byte[] get(URI uri) throws IOException {
    return send(uri, HttpResponse.BodyHandlers.ofByteArray()).body();
  }

  /**
   * GETs {@code uri} and returns the body of a 200 answer as a stream, for a watch: the headers
   * come within the timeout, the body is read by the caller for as long as the server sends it.
   */
  public InputStream stream(URI uri) throws IOException {
    return send(uri, HttpResponse.BodyHandlers.ofInputStream()).body();
  }

  private <T> HttpResponse<T> send(URI uri, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    for (int attempt = 0; ; attempt++) {
      HttpRequest req =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Authorization", "Bearer " + token.token())
              .header("Accept", "application/json")
              .GET()
              .build();
      HttpResponse<T> r = await(http.sendAsync(req, handler), uri);
      if (r.statusCode() == 200) {
        return r;
      }
      String body = drain(r.body());
      if (r.statusCode() == 401 && attempt == 0) {
        token.invalidate();
        continue;
      }
      throw new KubeApiException(r.statusCode(), uri, body);
    }
  }

  private <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> f, URI uri)
      throws IOException {
    try {
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new HttpTimeoutException("GET " + uri + " took longer than " + timeout);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted during GET " + uri);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("GET " + uri + ": " + e.getCause(), e.getCause());
    }
  }

  /** The start of an error answer's body, for the message (the rest is discarded). */
  private static String drain(Object body) throws IOException {
    if (body instanceof byte[] b) {
      return new String(b, 0, Math.min(b.length, 1024), StandardCharsets.UTF_8);
    }
    if (body instanceof InputStream in) {
      try (in) {
        return new String(in.readNBytes(1024), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  @Override
  public void close() {
    http.shutdownNow();
  }
}
