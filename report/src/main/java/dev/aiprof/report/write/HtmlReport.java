package dev.aiprof.report.write;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aiprof.report.model.WindowModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The self-contained HTML report: {@code report.html} with {@code report.css} and {@code report.js}
 * inlined and the page's data ({@link PageData}) in a {@code <script type="application/json">}
 * element. Nothing is fetched: no external script, style, font or image. Every {@code <} in the
 * data is written as {@code \u003c}, so no string in it can end the script element.
 */
public final class HtmlReport {
  private HtmlReport() {}

  public static String render(WindowModel m, String host) {
    String data;
    try {
      data = PageData.JSON.writeValueAsString(PageData.of(m, host)).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    String title = "aiprof report: " + String.join(", ", m.services());
    return resource("report.html")
        .replace("@TITLE@", escape(title))
        .replace("/*@CSS@*/", resource("report.css"))
        .replace("/*@JS@*/", resource("report.js"))
        .replace("@DATA@", data);
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
}
