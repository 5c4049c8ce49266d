package dev.aiprof.host;

/**
 * Reads the unsigned decimal numbers of one line of a {@code /proc} or {@code /sys} file, left to
 * right, without splitting it into strings. Not thread-safe (one per line).
 */
final class Fields {
  private final String text;
  private final int end;
  private int at;

  Fields(String text, int from, int end) {
    this.text = text;
    this.at = from;
    this.end = end;
  }

  /** The next number, or -1 when the line has no more, or the next field is not a number. */
  long next() {
    while (at < end && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
      at++;
    }
    if (at >= end || !Character.isDigit(text.charAt(at))) {
      skip();
      return -1;
    }
    long v = 0;
    while (at < end && Character.isDigit(text.charAt(at))) {
      v = v * 10 + (text.charAt(at) - '0');
      at++;
    }
    return v;
  }

  /** The next whitespace-separated word. */
  String word() {
    while (at < end && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
      at++;
    }
    int from = at;
    skip();
    return text.substring(from, at);
  }

  private void skip() {
    while (at < end && text.charAt(at) != ' ' && text.charAt(at) != '\t') {
      at++;
    }
  }

  /** The first number in {@code text[from, end)}, or -1. */
  static long number(String text, int from, int end) {
    return new Fields(text, from, end).next();
  }
}
