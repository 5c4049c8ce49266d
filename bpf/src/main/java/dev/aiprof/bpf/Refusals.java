package dev.aiprof.bpf;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells "this host lacks the feature" from other failures of a load or attach, by probing the
 * feature ({@link FeatureProber#host}, once per JVM), never by guessing from the errno: the first
 * becomes {@link UnsupportedFeatureException}, the rest stay {@link BpfException}. Probes
 * themselves are never classified (their failure is the answer).
 */
final class Refusals {
  private static final Pattern PROG = Pattern.compile("prog '([^']+)'");

  private Refusals() {}

  /** The feature a program of this ELF section needs beyond the basics, or null. */
  static Feature featureOf(String section) {
    if (section == null) {
      return null;
    }
    String s = section.startsWith("?") ? section.substring(1) : section;
    if (s.startsWith("fentry") || s.startsWith("fexit") || s.startsWith("fmod_ret")) {
      return Feature.FENTRY;
    }
    if (s.startsWith("kprobe") || s.startsWith("kretprobe")) {
      return Feature.KPROBE;
    }
    if (s.startsWith("perf_event")) {
      return Feature.PERF_EVENT;
    }
    return null;
  }

  /** The exception for {@code what} failing with {@code errno}, where it needed {@code feature}. */
  static BpfException failure(String what, int errno, Feature feature) {
    if (feature != null && !FeatureProber.probing() && !FeatureProber.host(feature).supported()) {
      return UnsupportedFeatureException.refused(feature, what, errno);
    }
    return new BpfException(what, errno);
  }

  /** The program libbpf's warnings name as the one that failed to load, or null. */
  static String failedProgram(List<String> warnings) {
    for (int i = warnings.size() - 1; i >= 0; i--) {
      Matcher m = PROG.matcher(warnings.get(i));
      if (m.find()) {
        return m.group(1);
      }
    }
    return null;
  }
}
