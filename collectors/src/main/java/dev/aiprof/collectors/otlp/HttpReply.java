package dev.aiprof.collectors.otlp;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.sun.net.httpserver.HttpExchange;
import dev.aiprof.collectors.otlp.HttpBody.Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP answer: a status, extra headers and an OTLP message (an {@code
 * ExportTraceServiceResponse}, or a {@code google.rpc.Status} for errors, as OTLP/HTTP specifies)
 * encoded in the request's format.
 */
record HttpReply(int status, Message body, Map<String, String> headers) {
  static HttpReply ok(Message response) {
    return new HttpReply(200, response, Map.of());
  }

  /** An error with a {@code google.rpc.Status} body carrying {@code code} and the message. */
  static HttpReply error(int status, Code code, String message, Map<String, String> headers) {
    com.google.rpc.Status body =
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
    return new HttpReply(status, body, headers);
  }

  static HttpReply error(int status, Code code, String message) {
    return error(status, code, message, Map.of());
  }

  /** Sends the reply; a JSON body when the request's format is unknown. */
  void send(HttpExchange ex, Format format) throws IOException {
    Format f = format == null ? Format.JSON : format;
    byte[] bytes =
        f == Format.JSON
            ? OtlpJson.print(body).getBytes(StandardCharsets.UTF_8)
            : body.toByteArray();
    ex.getResponseHeaders().set("Content-Type", f.mediaType);
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }
}
