package dev.aiprof.custom.bpftrace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.aiprof.api.metrics.Log2Histogram;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * Decodes lines of {@code bpftrace -f json} (pure, stateless, thread-safe). bpftrace 0.17 prints
 * one object per line: {@code {"type": "map", "data": {"@name": VALUE}}} where VALUE is a number (a
 * map without keys) or an object from key to number; {@code "hist"} with arrays of {@code {min,
 * max, count}} buckets; {@code "stats"} with {@code {count, average, total}}. Multi-part keys are
 * printed joined with commas.
 */
public final class OutputParser {
  /** Slots of the histograms made from {@code hist()} and {@code lhist()} buckets. */
  public static final int SLOTS = 64;

  private static final JsonFactory JSON = new JsonFactory();

  private final int maxKeys;

  /** A parser keeping at most {@code maxKeys} entries of each printed map. */
  public OutputParser(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  /**
   * The line decoded; {@code keyParts} gives the number of key expressions of each map (by name
   * without {@code @}), so a key splits into that many parts. Streamed: at most {@code maxKeys}
   * entries of a map are materialised, the rest are skipped token by token, so a huge map costs no
   * more memory than its bound (the line itself is bounded by the reader). bpftrace prints a map
   * sorted ascending by value, so the last {@code maxKeys} entries are kept: the largest.
   */
  public OutputLine parse(String line, Map<String, Integer> keyParts) {
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return UNPARSED;
      }
      String type = null;
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("type") && v == JsonToken.VALUE_STRING) {
          type = p.getText();
        } else if (field.equals("data") && type != null) {
          return switch (type) {
            case "attached_probes" -> new OutputLine.Attached((int) number(p, "probes"));
            case "lost_events" -> new OutputLine.Lost(number(p, "events"));
            case "map", "hist", "stats" -> map(type, p, keyParts);
            default -> new OutputLine.Other(type.isEmpty() ? "unparsed" : type);
          };
        } else {
          p.skipChildren();
        }
      }
      return type == null || type.isEmpty() ? UNPARSED : new OutputLine.Other(type);
    } catch (IOException | RuntimeException e) {
      return UNPARSED;
    }
  }

  private static final OutputLine.Other UNPARSED = new OutputLine.Other("unparsed");

  /** The number in field {@code name} of the object at {@code p}, or 0. */
  private static long number(JsonParser p, String name) throws IOException {
    long out = 0;
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return 0;
    }
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals(name) && v.isNumeric()) {
        out = p.getValueAsLong();
      } else {
        p.skipChildren();
      }
    }
    return out;
  }

  private OutputLine map(String type, JsonParser p, Map<String, Integer> keyParts)
      throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME) {
      return UNPARSED;
    }
    String field = p.currentName();
    String name = field.startsWith("@") ? field.substring(1) : field;
    int parts = keyParts.getOrDefault(name, 1);
    JsonToken v = p.nextToken();
    ArrayDeque<OutputLine.Entry> out = new ArrayDeque<>();
    int dropped = 0;
    if (v == JsonToken.START_OBJECT) {
      JsonToken t = p.nextToken();
      if (type.equals("stats") && t == JsonToken.FIELD_NAME && isStatsField(p.currentName())) {
        MapValue value = stats(p);
        if (value != null) {
          out.add(new OutputLine.Entry(List.of(), value));
        }
      } else {
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
          String key = p.currentName();
          p.nextToken();
          if (maxKeys <= 0) {
            p.skipChildren();
            dropped++;
            continue;
          }
          MapValue value = value(type, p);
          if (value == null) {
            continue;
          }
          if (out.size() >= maxKeys) {
            out.removeFirst();
            dropped++;
          }
          out.add(new OutputLine.Entry(split(key, parts), value));
        }
      }
    } else {
      MapValue value = value(type, p);
      if (value != null) {
        out.add(new OutputLine.Entry(List.of(), value));
      }
    }
    return new OutputLine.MapPrint(name, List.copyOf(out), dropped);
  }

  private static boolean isStatsField(String f) {
    return f.equals("count") || f.equals("total") || f.equals("average");
  }

  /** The value at {@code p} (consumed, children included); null when of another shape. */
  private static MapValue value(String type, JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (type) {
      case "hist" -> {
        return t == JsonToken.START_ARRAY ? histogram(p) : skipped(p);
      }
      case "stats" -> {
        if (t != JsonToken.START_OBJECT) {
          return skipped(p);
        }
        p.nextToken();
        return stats(p);
      }
      default -> {
        return t != null && t.isNumeric() ? new MapValue.Number(p.getValueAsDouble()) : skipped(p);
      }
    }
  }

  private static MapValue skipped(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  /**
   * A stats object, {@code p} on its first field name (or END_OBJECT); consumed to its end. Null
   * without {@code count} and {@code total}.
   */
  private static MapValue stats(JsonParser p) throws IOException {
    Long count = null;
    Long total = null;
    long average = 0;
    for (JsonToken t = p.currentToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      if (v.isNumeric()) {
        switch (f) {
          case "count" -> count = p.getValueAsLong();
          case "total" -> total = p.getValueAsLong();
          case "average" -> average = p.getValueAsLong();
          default -> {}
        }
      } else {
        p.skipChildren();
      }
    }
    return count == null || total == null ? null : new MapValue.Stats(count, total, average);
  }

  /** A hist's bucket array, {@code p} on its START_ARRAY; consumed to its end. */
  private static MapValue.Histogram histogram(JsonParser p) throws IOException {
    long[] slots = new long[SLOTS];
    double sum = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      long count = 0;
      Long min = null;
      Long max = null;
      for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (v.isNumeric()) {
          switch (name) {
            case "count" -> count = p.getValueAsLong();
            case "min" -> min = p.getValueAsLong();
            case "max" -> max = p.getValueAsLong();
            default -> {}
          }
        } else {
          p.skipChildren();
        }
      }
      if (count <= 0) {
        continue;
      }
      long lo = min == null ? Long.MIN_VALUE : min;
      long hi = max == null ? lo : max;
      slots[slot(lo)] += count;
      sum += count * (Math.max(0, lo) / 2.0 + Math.max(0, hi) / 2.0);
    }
    return new MapValue.Histogram(new Log2Histogram(slots), (long) sum);
  }

  /** The log2 slot of a bucket's lower bound: [2^i, 2^(i+1)) is slot i; 0, 1 and below are 0. */
  static int slot(long min) {
    return min <= 1 ? 0 : Math.min(SLOTS - 1, 63 - Long.numberOfLeadingZeros(min));
  }

  /** {@code key} split at its first {@code parts - 1} commas. */
  static List<String> split(String key, int parts) {
    if (parts <= 1) {
      return List.of(key);
    }
    return List.of(key.split(",", parts));
  }
}
