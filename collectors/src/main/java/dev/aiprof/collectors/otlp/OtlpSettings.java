package dev.aiprof.collectors.otlp;

import dev.aiprof.api.http.Loopback;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.Settings;
import java.util.List;

/**
 * The OTLP receiver's settings: its keys, and their values read from the agent's validated
 * settings.
 *
 * @param enabled {@code otlp.enabled} (default true): false starts the collector without listening
 * @param grpc {@code otlp.grpc-address} (default {@code 127.0.0.1:4317}, or {@code off})
 * @param http {@code otlp.http-address} (default {@code 127.0.0.1:4318}, or {@code off})
 * @param queueSpans {@code otlp.queue-size} (default 8192): spans waiting for delivery; beyond it
 *     requests are refused with the retryable OTLP answer
 * @param maxRequestBytes {@code otlp.max-request-size} (default 4MiB, at most 64MiB): the largest
 *     request body, after decompression
 * @param limits the span limits ({@code otlp.max-attributes} and the others of {@link SpanLimits})
 */
public record OtlpSettings(
    boolean enabled,
    ListenAddress grpc,
    ListenAddress http,
    int queueSpans,
    int maxRequestBytes,
    SpanLimits limits) {
  public static final Setting<Boolean> ENABLED =
      Setting.flag("otlp.enabled", true, "receive workloads' spans over OTLP");
  public static final Setting<ListenAddress> GRPC_ADDRESS =
      address("otlp.grpc-address", "127.0.0.1:4317", "where OTLP/gRPC is received");
  public static final Setting<ListenAddress> HTTP_ADDRESS =
      address("otlp.http-address", "127.0.0.1:4318", "where OTLP/HTTP is received");
  public static final Setting<Integer> QUEUE_SIZE =
      Setting.integer(
          "otlp.queue-size",
          8192,
          1,
          1 << 20,
          "spans waiting for delivery to the engine; beyond it requests get the retryable answer");
  public static final Setting<Long> MAX_REQUEST_SIZE =
      Setting.size(
          "otlp.max-request-size",
          4L << 20,
          1,
          64L << 20,
          "the largest request body, after decompression");

  public static final Setting<Boolean> LISTEN_PUBLIC =
      Setting.flag(
          "otlp.listen-public",
          false,
          "let otlp.grpc-address and otlp.http-address be non-loopback addresses (without it such"
              + " an address is refused at start, so a typo cannot expose the receiver)");

  static final List<Setting<?>> ALL =
      List.of(
          ENABLED,
          GRPC_ADDRESS,
          HTTP_ADDRESS,
          LISTEN_PUBLIC,
          QUEUE_SIZE,
          MAX_REQUEST_SIZE,
          SpanLimits.MAX_ATTRIBUTES,
          SpanLimits.MAX_VALUE_LENGTH,
          SpanLimits.MAX_EVENTS,
          SpanLimits.MAX_LINKS);

  private static Setting<ListenAddress> address(String key, String def, String what) {
    return Setting.of(
        key,
        ListenAddress::parse,
        ListenAddress::toString,
        "host:port (IPv6 in brackets), port 0 for a free one, or off",
        ListenAddress.parse(key, def),
        what);
  }

  /**
   * The receiver's settings out of the agent's.
   *
   * @throws IllegalArgumentException when an address is not loopback and {@code otlp.listen-public}
   *     is not true, naming both settings
   */
  public static OtlpSettings from(Settings s) {
    OtlpSettings o =
        new OtlpSettings(
            s.get(ENABLED),
            s.get(GRPC_ADDRESS),
            s.get(HTTP_ADDRESS),
            s.get(QUEUE_SIZE),
            (int) (long) s.get(MAX_REQUEST_SIZE),
            SpanLimits.from(s));
    if (o.enabled()) {
      checkLoopback(GRPC_ADDRESS, o.grpc(), s.get(LISTEN_PUBLIC));
      checkLoopback(HTTP_ADDRESS, o.http(), s.get(LISTEN_PUBLIC));
    }
    return o;
  }

  private static void checkLoopback(
      Setting<ListenAddress> key, ListenAddress a, boolean listenPublic) {
    if (!a.off()) {
      Loopback.check(key.key(), a.host(), LISTEN_PUBLIC.key(), listenPublic);
    }
  }
}
