package dev.aiprof.exporters.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.aiprof.api.health.HealthCheck;
import dev.aiprof.api.health.HealthSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code /healthz} or {@code /readyz}: 200 when every check of its source passes, 503 otherwise; a
 * short body listing the checks, as text ({@code ok liveness} then one {@code [+] name: detail} or
 * {@code [-] name: detail} line per check), or as JSON with {@code ?format=json} or {@code Accept:
 * application/json}. A source that throws counts as failing. Thread-safe.
 */
final class HealthHandler implements HttpHandler {
  private static final int MAX_CHECKS = 100;
  private static final int MAX_DETAIL = 200;

  private final String what;
  private volatile HealthSource source = HealthSource.NONE;

  HealthHandler(String what) {
    this.what = what;
  }

  void source(HealthSource s) {
    source = s == null ? HealthSource.NONE : s;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        send(ex, 405, "text/plain; charset=utf-8", "use GET\n");
        return;
      }
      List<HealthCheck> checks = checks();
      boolean ok = checks.stream().allMatch(HealthCheck::ok);
      boolean json = wantsJson(ex);
      String body = json ? json(ok, checks) : text(ok, checks);
      String type = json ? "application/json" : "text/plain; charset=utf-8";
      send(ex, ok ? 200 : 503, type, body);
    }
  }

  private List<HealthCheck> checks() {
    try {
      List<HealthCheck> c = source.checks();
      return c.size() > MAX_CHECKS ? c.subList(0, MAX_CHECKS) : c;
    } catch (RuntimeException e) {
      return List.of(HealthCheck.fail(what, "the health source failed: " + e.getClass().getName()));
    }
  }

  private static boolean wantsJson(HttpExchange ex) {
    String q = ex.getRequestURI().getRawQuery();
    String accept = ex.getRequestHeaders().getFirst("Accept");
    return (q != null && q.contains("format=json"))
        || (accept != null && accept.contains("application/json"));
  }

  private String text(boolean ok, List<HealthCheck> checks) {
    StringBuilder b = new StringBuilder(ok ? "ok " : "failed ").append(what).append('\n');
    for (HealthCheck c : checks) {
      b.append(c.ok() ? "[+] " : "[-] ").append(c.name());
      String d = detail(c);
      b.append(d.isEmpty() ? "" : ": " + d).append('\n');
    }
    return b.toString();
  }

  private String json(boolean ok, List<HealthCheck> checks) {
    StringBuilder b = new StringBuilder("{\"status\":\"").append(ok ? "ok" : "failed");
    b.append("\",\"checks\":[");
    for (int i = 0; i < checks.size(); i++) {
      HealthCheck c = checks.get(i);
      b.append(i == 0 ? "" : ",").append("{\"name\":").append(quote(c.name()));
      b.append(",\"ok\":").append(c.ok()).append(",\"detail\":").append(quote(detail(c)));
      b.append('}');
    }
    return b.append("]}\n").toString();
  }

  private static String detail(HealthCheck c) {
    String d = c.detail().replace('\n', ' ');
    return d.length() > MAX_DETAIL ? d.substring(0, MAX_DETAIL) + "..." : d;
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  static void notFound(HttpExchange ex) throws IOException {
    try (ex) {
      send(ex, 404, "text/plain; charset=utf-8", "not found: use /metrics, /healthz or /readyz\n");
    }
  }

  static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      ex.getResponseBody().write(bytes);
    }
  }
}
