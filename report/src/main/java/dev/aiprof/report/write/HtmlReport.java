package dev.aiprof.report.write;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.aiprof.report.model.WindowModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The self-contained HTML report: {@code report.html} with {@code report.css} and {@code report.js}
 * inlined and the page's data ({@link PageData}) in a {@code <script type="application/json">}
 * element. Nothing is fetched: no external script, style, font or image, and the page's
 * Content-Security-Policy forbids any. Every {@code <} in the data is written as {@code \u003c}, so
 * no string in it can end the script element. Written straight to the output: the data is never
 * held as one string.
 */
public final class HtmlReport {
  private static final String DATA = "@DATA@";

  private HtmlReport() {}

  public static void write(WindowModel m, String host, Writer out) throws IOException {
    write(m, host, null, out);
  }

  /** The page with its flame graphs ({@link FlamePage#of}; null: none). */
  public static void write(
      WindowModel m, String host, com.fasterxml.jackson.databind.node.ObjectNode flames, Writer out)
      throws IOException {
    String title = "aiprof report: " + String.join(", ", m.services());
    String page =
        resource("report.html")
            .replace("@TITLE@", escape(title))
            .replace("/*@CSS@*/", resource("report.css"))
            .replace("/*@JS@*/", resource("report.js"))
            .replace("/*@FLAME@*/", resource("flame.js"));
    int at = page.indexOf(DATA);
    out.write(page, 0, at);
    try (JsonGenerator g = PageData.JSON.getFactory().createGenerator(new NoClose(out))) {
      g.setCharacterEscapes(new LessThan());
      PageData.JSON.writeTree(g, PageData.of(m, host, flames));
    }
    out.write(page, at + DATA.length(), page.length() - at - DATA.length());
  }

  /** The page as a string (tests). */
  public static String render(WindowModel m, String host) {
    return render(m, host, null);
  }

  /** The page with flame graphs as a string (tests). */
  public static String render(
      WindowModel m, String host, com.fasterxml.jackson.databind.node.ObjectNode flames) {
    StringWriter w = new StringWriter();
    try {
      write(m, host, flames, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON escapes plus {@code <} as {@code \u003c}. */
  private static final class LessThan extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] table = standardAsciiEscapesForJSON();

    LessThan() {
      table['<'] = CharacterEscapes.ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch == '<' ? new SerializedString("\\u003c") : null;
    }
  }

  /** The generator closes its output when done; the page goes on after the data. */
  private static final class NoClose extends java.io.FilterWriter {
    NoClose(Writer w) {
      super(w);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
