package dev.aiprof.collectors.otlp;

import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.Settings;

/**
 * Limits on what one received span may carry, modelled on the OpenTelemetry SDK's {@code
 * SpanLimits} (whose defaults of 128 attributes, events and links it keeps) and applied by {@link
 * SpanTrimmer} before a span is converted or queued: beyond them attributes, events and links are
 * dropped and values truncated, and each is counted ({@code aiprof.otlp.spans.limited}).
 *
 * @param maxAttributes attributes per span, per event, per link and per resource
 * @param maxValueLength characters of a string value (bytes of a byte value), per array element;
 *     also the longest span or event name
 * @param maxEvents events per span
 * @param maxLinks links per span
 */
public record SpanLimits(int maxAttributes, int maxValueLength, int maxEvents, int maxLinks) {
  public static final Setting<Integer> MAX_ATTRIBUTES =
      Setting.integer(
          "otlp.max-attributes",
          128,
          0,
          1024,
          "attributes kept per received span, event, link and resource; the rest are dropped");
  public static final Setting<Integer> MAX_VALUE_LENGTH =
      Setting.integer(
          "otlp.max-value-length",
          4096,
          16,
          65_536,
          "characters kept of a received attribute value (and of span and event names)");
  public static final Setting<Integer> MAX_EVENTS =
      Setting.integer("otlp.max-events", 128, 0, 1024, "events kept per received span");
  public static final Setting<Integer> MAX_LINKS =
      Setting.integer("otlp.max-links", 128, 0, 1024, "links kept per received span");

  /** The defaults. */
  public static final SpanLimits DEFAULT = new SpanLimits(128, 4096, 128, 128);

  static SpanLimits from(Settings s) {
    return new SpanLimits(
        s.get(MAX_ATTRIBUTES), s.get(MAX_VALUE_LENGTH), s.get(MAX_EVENTS), s.get(MAX_LINKS));
  }
}
