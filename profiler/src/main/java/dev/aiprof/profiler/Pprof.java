package dev.aiprof.profiler;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes {@link WeightedStacks} as a gzipped pprof {@code profile.proto} (github.com/google/pprof,
 * {@code proto/profile.proto}), encoded field by field with protobuf-java's {@link
 * CodedOutputStream}: two sample values ({@code samples/count} and {@code <kind>/nanoseconds}), one
 * location and one function per distinct frame label. Field numbers are the format's. Pure apart
 * from the stream it writes.
 */
final class Pprof {
  private final List<String> strings = new ArrayList<>(List.of(""));
  private final Map<String, Integer> stringIds = new HashMap<>();
  private final Map<String, Integer> functions = new HashMap<>();

  private Pprof() {}

  /** Writes {@code stacks}; {@code weightType} names the weight ("cpu" or "off_cpu"). */
  static void write(
      WeightedStacks stacks, String weightType, long periodNs, long timeNanos, OutputStream out)
      throws IOException {
    new Pprof().encode(stacks, weightType, periodNs, timeNanos, out);
  }

  private int str(String s) {
    return stringIds.computeIfAbsent(
        s,
        k -> {
          strings.add(k);
          return strings.size() - 1;
        });
  }

  private void encode(
      WeightedStacks stacks, String weightType, long periodNs, long timeNanos, OutputStream out)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(body);
    valueType(c, 1, str("samples"), str("count"));
    valueType(c, 1, str(weightType), str("nanoseconds"));
    for (Map.Entry<List<String>, long[]> e : stacks.stacks().entrySet()) {
      List<String> frames = e.getKey();
      ByteArrayOutputStream sb = new ByteArrayOutputStream();
      CodedOutputStream s = CodedOutputStream.newInstance(sb);
      ByteArrayOutputStream locs = new ByteArrayOutputStream();
      CodedOutputStream l = CodedOutputStream.newInstance(locs);
      for (int i = frames.size() - 1; i >= 0; i--) { // leaf first
        l.writeUInt64NoTag(function(frames.get(i)));
      }
      l.flush();
      s.writeByteArray(1, locs.toByteArray()); // location_id, packed
      ByteArrayOutputStream vals = new ByteArrayOutputStream();
      CodedOutputStream v = CodedOutputStream.newInstance(vals);
      v.writeInt64NoTag(e.getValue()[0]);
      v.writeInt64NoTag(e.getValue()[1]);
      v.flush();
      s.writeByteArray(2, vals.toByteArray()); // value, packed
      s.flush();
      c.writeByteArray(2, sb.toByteArray()); // sample
    }
    for (Map.Entry<String, Integer> f : functions.entrySet()) {
      int id = f.getValue();
      ByteArrayOutputStream lb = new ByteArrayOutputStream();
      CodedOutputStream line = CodedOutputStream.newInstance(lb);
      line.writeUInt64(1, id); // Line.function_id
      line.flush();
      ByteArrayOutputStream locb = new ByteArrayOutputStream();
      CodedOutputStream loc = CodedOutputStream.newInstance(locb);
      loc.writeUInt64(1, id); // Location.id
      loc.writeByteArray(4, lb.toByteArray()); // Location.line
      loc.flush();
      c.writeByteArray(4, locb.toByteArray());
      ByteArrayOutputStream fb = new ByteArrayOutputStream();
      CodedOutputStream fn = CodedOutputStream.newInstance(fb);
      fn.writeUInt64(1, id); // Function.id
      fn.writeInt64(2, str(f.getKey())); // Function.name
      fn.writeInt64(3, str(f.getKey())); // Function.system_name
      fn.flush();
      c.writeByteArray(5, fb.toByteArray());
    }
    int periodType = str(weightType);
    int ns = str("nanoseconds");
    List<String> table = List.copyOf(strings); // every string is interned by now
    for (String s : table) {
      c.writeString(6, s); // string_table
    }
    c.writeInt64(9, timeNanos);
    ByteArrayOutputStream pt = new ByteArrayOutputStream();
    CodedOutputStream p = CodedOutputStream.newInstance(pt);
    p.writeInt64(1, periodType);
    p.writeInt64(2, ns);
    p.flush();
    c.writeByteArray(11, pt.toByteArray()); // period_type
    c.writeInt64(12, periodNs); // period
    c.flush();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      body.writeTo(gz);
    }
  }

  private int function(String label) {
    return functions.computeIfAbsent(label, k -> functions.size() + 1);
  }

  private static void valueType(CodedOutputStream c, int field, int type, int unit)
      throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream v = CodedOutputStream.newInstance(b);
    v.writeInt64(1, type);
    v.writeInt64(2, unit);
    v.flush();
    c.writeByteArray(field, b.toByteArray());
  }
}
