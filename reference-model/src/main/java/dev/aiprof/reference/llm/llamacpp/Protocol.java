package dev.aiprof.reference.llm.llamacpp;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The line protocol between {@link LlamaCppGenerator} (parent) and {@link LlamaCppChild}. The
 * parent writes one request a line; the child answers each with one line that starts with {@link
 * #PREFIX} (anything else on the child's stdout is ignored):
 *
 * <pre>
 * (child starts)            -&gt; @aiprof ready VOCAB | @aiprof error MESSAGE
 * prefill 1,57,300          -&gt; @aiprof token ID    (greedy next token after the prompt)
 * decode                    -&gt; @aiprof token ID    (after feeding the last token)
 * encode BASE64-UTF8        -&gt; @aiprof tokens 57,300  (llama.cpp's own tokenization, no BOS)
 * quit                      -&gt; (child exits)
 * </pre>
 */
final class Protocol {
  static final String PREFIX = "@aiprof ";
  static final String READY = "ready";
  static final String TOKEN = "token";
  static final String TOKENS = "tokens";
  static final String ERROR = "error";
  static final String PREFILL = "prefill";
  static final String DECODE = "decode";
  static final String ENCODE = "encode";
  static final String QUIT = "quit";

  private Protocol() {}

  static String ids(int[] ids) {
    return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
  }

  static int[] parseIds(String s) {
    if (s.isBlank()) {
      return new int[0];
    }
    return Arrays.stream(s.split(",")).mapToInt(v -> Integer.parseInt(v.trim())).toArray();
  }

  /** One line, whatever the message holds. */
  static String oneLine(String message) {
    return String.valueOf(message).replace('\n', ' ').replace('\r', ' ');
  }
}
