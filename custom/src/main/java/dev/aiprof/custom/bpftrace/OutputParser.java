package dev.aiprof.custom.bpftrace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiprof.api.metrics.Log2Histogram;
import java.util.ArrayList;
import java.util.Iterator;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int maxKeys;

  /** A parser keeping at most {@code maxKeys} entries of each printed map. */
  public OutputParser(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  /**
   * The line decoded; {@code keyParts} gives the number of key expressions of each map (by name
   * without {@code @}), so a key splits into that many parts.
   */
  public OutputLine parse(String line, Map<String, Integer> keyParts) {
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return new OutputLine.Other("unparsed");
    }
    if (root == null || !root.isObject()) {
      return new OutputLine.Other("unparsed");
    }
    String type = root.path("type").asText("");
    JsonNode data = root.path("data");
    return switch (type) {
      case "attached_probes" -> new OutputLine.Attached(data.path("probes").asInt());
      case "lost_events" -> new OutputLine.Lost(data.path("events").asLong());
      case "map", "hist", "stats" -> map(type, data, keyParts);
      default -> new OutputLine.Other(type.isEmpty() ? "unparsed" : type);
    };
  }

  private OutputLine map(String type, JsonNode data, Map<String, Integer> keyParts) {
    Iterator<Map.Entry<String, JsonNode>> fields = data.fields();
    if (!fields.hasNext()) {
      return new OutputLine.Other("unparsed");
    }
    Map.Entry<String, JsonNode> f = fields.next();
    String name = f.getKey().startsWith("@") ? f.getKey().substring(1) : f.getKey();
    int parts = keyParts.getOrDefault(name, 1);
    JsonNode v = f.getValue();
    List<OutputLine.Entry> out = new ArrayList<>();
    int dropped = 0;
    if (isLeaf(type, v)) {
      MapValue value = value(type, v);
      if (value != null) {
        out.add(new OutputLine.Entry(List.of(), value));
      }
    } else if (v.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (out.size() >= maxKeys) {
          dropped++;
          continue;
        }
        MapValue value = value(type, e.getValue());
        if (value != null) {
          out.add(new OutputLine.Entry(split(e.getKey(), parts), value));
        }
      }
    }
    return new OutputLine.MapPrint(name, out, dropped);
  }

  private static boolean isLeaf(String type, JsonNode v) {
    return switch (type) {
      case "hist" -> v.isArray();
      case "stats" -> v.isObject() && v.has("count") && v.has("total");
      default -> !v.isObject();
    };
  }

  private static MapValue value(String type, JsonNode v) {
    return switch (type) {
      case "hist" -> v.isArray() ? histogram(v) : null;
      case "stats" ->
          v.isObject()
              ? new MapValue.Stats(
                  v.path("count").asLong(), v.path("total").asLong(), v.path("average").asLong())
              : null;
      default -> v.isNumber() ? new MapValue.Number(v.asDouble()) : null;
    };
  }

  private static MapValue.Histogram histogram(JsonNode buckets) {
    long[] slots = new long[SLOTS];
    double sum = 0;
    for (JsonNode b : buckets) {
      long count = b.path("count").asLong();
      if (count <= 0) {
        continue;
      }
      long min = b.has("min") ? b.path("min").asLong() : Long.MIN_VALUE;
      long max = b.has("max") ? b.path("max").asLong() : min;
      slots[slot(min)] += count;
      sum += count * (Math.max(0, min) / 2.0 + Math.max(0, max) / 2.0);
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
