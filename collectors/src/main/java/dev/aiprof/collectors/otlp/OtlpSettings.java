package dev.aiprof.collectors.otlp;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OTLP receiver's settings, parsed from the agent's string settings. Parsing fails fast: a bad
 * value is an {@link IllegalArgumentException} naming the key, the value and the accepted form.
 *
 * @param enabled {@code otlp.enabled} (default true): false starts the collector without listening
 * @param grpc {@code otlp.grpc-address} (default {@code 127.0.0.1:4317}, or {@code off})
 * @param http {@code otlp.http-address} (default {@code 127.0.0.1:4318}, or {@code off})
 * @param queueSpans {@code otlp.queue-size} (default 8192): spans waiting for delivery; beyond it
 *     requests are refused with the retryable OTLP answer
 * @param maxRequestBytes {@code otlp.max-request-size} (default 4MiB): the largest request body,
 *     after decompression
 */
public record OtlpSettings(
    boolean enabled, ListenAddress grpc, ListenAddress http, int queueSpans, int maxRequestBytes) {
  public static final String ENABLED = "otlp.enabled";
  public static final String GRPC_ADDRESS = "otlp.grpc-address";
  public static final String HTTP_ADDRESS = "otlp.http-address";
  public static final String QUEUE_SIZE = "otlp.queue-size";
  public static final String MAX_REQUEST_SIZE = "otlp.max-request-size";

  static final String DEFAULT_GRPC = "127.0.0.1:4317";
  static final String DEFAULT_HTTP = "127.0.0.1:4318";
  static final int DEFAULT_QUEUE_SPANS = 8192;
  static final int DEFAULT_MAX_REQUEST_BYTES = 4 << 20;

  private static final Pattern SIZE = Pattern.compile("(\\d{1,10})\\s*(B|KiB|MiB)?");

  /** The settings with every key at its default. */
  public static OtlpSettings defaults() {
    return parse(Map.of());
  }

  public static OtlpSettings parse(Map<String, String> settings) {
    return new OtlpSettings(
        bool(ENABLED, settings.getOrDefault(ENABLED, "true")),
        ListenAddress.parse(GRPC_ADDRESS, settings.getOrDefault(GRPC_ADDRESS, DEFAULT_GRPC)),
        ListenAddress.parse(HTTP_ADDRESS, settings.getOrDefault(HTTP_ADDRESS, DEFAULT_HTTP)),
        count(QUEUE_SIZE, settings.get(QUEUE_SIZE)),
        size(MAX_REQUEST_SIZE, settings.get(MAX_REQUEST_SIZE)));
  }

  private static boolean bool(String key, String value) {
    return switch (value.strip().toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "invalid " + key + " '" + value + "': use true or false");
    };
  }

  private static int count(String key, String value) {
    if (value == null) {
      return DEFAULT_QUEUE_SPANS;
    }
    String v = value.strip();
    if (!v.matches("\\d{1,9}") || Integer.parseInt(v) == 0) {
      throw new IllegalArgumentException(
          "invalid " + key + " '" + value + "': use a number of spans from 1, e.g. 8192");
    }
    return Integer.parseInt(v);
  }

  private static int size(String key, String value) {
    if (value == null) {
      return DEFAULT_MAX_REQUEST_BYTES;
    }
    Matcher m = SIZE.matcher(value.strip());
    long bytes = -1;
    if (m.matches()) {
      long unit =
          switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            default -> 1;
          };
      bytes = Long.parseLong(m.group(1)) * unit;
    }
    if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "invalid "
              + key
              + " '"
              + value
              + "': use a size from 1 byte to 2047MiB in B, KiB or MiB, e.g. 4MiB");
    }
    return (int) bytes;
  }
}
