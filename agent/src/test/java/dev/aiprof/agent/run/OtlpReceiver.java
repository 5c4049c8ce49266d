package dev.aiprof.agent.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver for tests: the real protocol (protobuf bodies on /v1/traces and
 * /v1/metrics, parsed with the OTLP protobuf classes) on a loopback port, keeping what it gets.
 * Thread-safe; close stops it.
 */
public final class OtlpReceiver implements AutoCloseable {
  public final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
  public final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  public OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/v1/traces", x -> handle(x, true));
    server.createContext("/v1/metrics", x -> handle(x, false));
    server.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange x, boolean isTrace) throws IOException {
    try (x) {
      InputStream in = x.getRequestBody();
      if ("gzip".equals(x.getRequestHeaders().getFirst("Content-Encoding"))) {
        in = new GZIPInputStream(in);
      }
      byte[] body = in.readAllBytes();
      byte[] reply;
      if (isTrace) {
        traces.add(ExportTraceServiceRequest.parseFrom(body));
        reply = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      } else {
        metrics.add(ExportMetricsServiceRequest.parseFrom(body));
        reply = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
      }
      x.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      x.sendResponseHeaders(200, reply.length);
      x.getResponseBody().write(reply);
    }
  }

  /** Every metric received so far, in order. */
  public List<Metric> allMetrics() {
    List<Metric> out = new ArrayList<>();
    for (ExportMetricsServiceRequest r : metrics) {
      for (ResourceMetrics rm : r.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          out.addAll(sm.getMetricsList());
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
