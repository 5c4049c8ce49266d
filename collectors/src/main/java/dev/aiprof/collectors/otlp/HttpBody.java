package dev.aiprof.collectors.otlp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Reads an HTTP request body within a size limit, decompressing gzip. Pure over its streams. */
final class HttpBody {
  /** The body (after decompression) is larger than the limit. */
  static final class TooLargeException extends IOException {
    TooLargeException(long limit) {
      super("the request body is larger than " + limit + " bytes (otlp.max-request-size)");
    }
  }

  /** The request's format, from its Content-Type. */
  enum Format {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    final String mediaType;

    Format(String mediaType) {
      this.mediaType = mediaType;
    }

    /** The format of a Content-Type header value (parameters ignored), or null. */
    static Format of(String contentType) {
      if (contentType == null) {
        return null;
      }
      int semi = contentType.indexOf(';');
      String type = (semi < 0 ? contentType : contentType.substring(0, semi)).strip();
      for (Format f : values()) {
        if (f.mediaType.equalsIgnoreCase(type)) {
          return f;
        }
      }
      return null;
    }
  }

  private HttpBody() {}

  /** Whether a Content-Encoding value is one this receiver decodes (none, identity or gzip). */
  static boolean supportedEncoding(String encoding) {
    return encoding == null || encoding.isBlank() || isGzip(encoding) || isIdentity(encoding);
  }

  static boolean isGzip(String encoding) {
    return encoding != null && encoding.strip().toLowerCase(Locale.ROOT).equals("gzip");
  }

  private static boolean isIdentity(String encoding) {
    return encoding.strip().equalsIgnoreCase("identity");
  }

  /**
   * Reads {@code in} (gunzipping it when {@code gzip}) up to {@code limit} bytes.
   *
   * @throws TooLargeException past the limit
   * @throws IOException when the stream fails or the gzip data is corrupt
   */
  static byte[] read(InputStream in, boolean gzip, int limit) throws IOException {
    InputStream src = gzip ? new GZIPInputStream(in, 8192) : in;
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    for (int n = src.read(buf); n >= 0; n = src.read(buf)) {
      total += n;
      if (total > limit) {
        throw new TooLargeException(limit);
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}
