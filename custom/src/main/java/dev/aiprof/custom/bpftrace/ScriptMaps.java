package dev.aiprof.custom.bpftrace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the maps a bpftrace script assigns, with their key expressions and aggregation, from the
 * script's text (pure; no bpftrace needed). Comments and string literals are skipped; a map
 * assigned in several places keeps its first declaration. This is how the agent knows which maps to
 * print each interval and which keys are a pid, a thread id or a cgroup id.
 */
public final class ScriptMaps {
  private ScriptMaps() {}

  /** The maps of {@code script}, in order of first assignment. */
  public static List<MapDecl> of(String script) {
    String s = blankCommentsAndStrings(script);
    Map<String, MapDecl> out = new LinkedHashMap<>();
    for (int i = s.indexOf('@'); i >= 0; i = s.indexOf('@', i + 1)) {
      int j = i + 1;
      while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
        j++;
      }
      String name = s.substring(i + 1, j);
      List<String> keys = List.of();
      int k = skipSpace(s, j);
      if (k < s.length() && s.charAt(k) == '[') {
        int close = matching(s, k);
        if (close < 0) {
          continue;
        }
        keys = splitTopLevel(s.substring(k + 1, close));
        k = skipSpace(s, close + 1);
      }
      String fn = assignment(s, k);
      if (fn != null && !out.containsKey(name)) {
        out.put(name, new MapDecl(name, keys, fn));
      }
    }
    return List.copyOf(out.values());
  }

  /** The aggregation after an assignment at {@code k}, "" for a plain one, null for none. */
  private static String assignment(String s, int k) {
    if (s.startsWith("++", k) || s.startsWith("+=", k)) {
      return s.startsWith("++", k) ? "count" : "sum";
    }
    if (k < s.length() && s.charAt(k) == '=' && !s.startsWith("==", k)) {
      int f = skipSpace(s, k + 1);
      int e = f;
      while (e < s.length() && (Character.isLetterOrDigit(s.charAt(e)) || s.charAt(e) == '_')) {
        e++;
      }
      return skipSpace(s, e) < s.length() && s.charAt(skipSpace(s, e)) == '('
          ? s.substring(f, e)
          : "";
    }
    return null;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int matching(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '[' || c == '(') {
        depth++;
      } else if (c == ']' || c == ')') {
        if (--depth == 0) {
          return c == ']' ? i : -1;
        }
      }
    }
    return -1;
  }

  private static List<String> splitTopLevel(String keys) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < keys.length(); i++) {
      char c = keys.charAt(i);
      if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(keys.substring(start, i).strip());
        start = i + 1;
      }
    }
    String last = keys.substring(start).strip();
    if (!last.isEmpty()) {
      out.add(last);
    }
    return out;
  }

  /** The script with comments and string literals replaced by spaces (offsets kept). */
  static String blankCommentsAndStrings(String s) {
    StringBuilder b = new StringBuilder(s);
    int i = 0;
    while (i < b.length()) {
      char c = b.charAt(i);
      if (c == '/' && i + 1 < b.length() && b.charAt(i + 1) == '/') {
        while (i < b.length() && b.charAt(i) != '\n') {
          b.setCharAt(i++, ' ');
        }
      } else if (c == '/' && i + 1 < b.length() && b.charAt(i + 1) == '*') {
        int end = b.indexOf("*/", i + 2);
        end = end < 0 ? b.length() : end + 2;
        for (; i < end; i++) {
          if (b.charAt(i) != '\n') {
            b.setCharAt(i, ' ');
          }
        }
      } else if (c == '"') {
        b.setCharAt(i++, ' ');
        while (i < b.length() && b.charAt(i) != '"') {
          if (b.charAt(i) == '\\' && i + 1 < b.length()) {
            b.setCharAt(i++, ' ');
          }
          b.setCharAt(i++, ' ');
        }
        if (i < b.length()) {
          b.setCharAt(i++, ' ');
        }
      } else {
        i++;
      }
    }
    return b.toString();
  }
}
