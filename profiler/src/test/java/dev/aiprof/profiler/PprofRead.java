package dev.aiprof.profiler;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads a pprof profile's parts back with protobuf-java's reader, for the tests. */
final class PprofRead {
  private PprofRead() {}

  /** The string table (field 6), in order. */
  static List<String> strings(byte[] profile) throws IOException {
    List<String> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(profile);
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag >>> 3 == 6) {
        out.add(in.readString());
      } else {
        in.skipField(tag);
      }
    }
    return out;
  }

  /** How many times field {@code field} occurs at the top level. */
  static int count(byte[] profile, int field) throws IOException {
    int n = 0;
    CodedInputStream in = CodedInputStream.newInstance(profile);
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag >>> 3 == field) {
        n++;
      }
      in.skipField(tag);
    }
    return n;
  }
}
