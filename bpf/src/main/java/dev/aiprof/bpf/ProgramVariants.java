package dev.aiprof.bpf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The variants of one hook that an object ships (libbpf-tools style: a fentry program, a kprobe
 * program, a tracepoint fallback), in order of preference, and the choice among them by probed
 * {@link Features}: the first variant whose features the host has. Before load, {@link #apply}
 * turns autoload on for the chosen variant's programs and off for every other's, and autocreate off
 * for maps only the others use. Never chosen by kernel version.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder()}.
 */
public final class ProgramVariants {
  /**
   * One way to hook the same thing.
   *
   * @param name for messages and {@link #require}, e.g. "fentry"
   * @param requires every feature it needs
   * @param programs its programs, by name
   * @param maps maps only it uses (not created when another variant is chosen)
   */
  public record Variant(
      String name, Set<Feature> requires, List<String> programs, List<String> maps) {
    public Variant {
      requires = Set.copyOf(requires);
      programs = List.copyOf(programs);
      maps = List.copyOf(maps);
    }

    /** Whether the host has every feature this variant needs. */
    public boolean supportedBy(Features f) {
      return requires.stream().allMatch(f::has);
    }

    /** The first feature it needs that the host lacks (in Feature order), or null. */
    Feature firstMissing(Features f) {
      return requires.stream().filter(r -> !f.has(r)).min(Comparator.naturalOrder()).orElse(null);
    }
  }

  private final List<Variant> variants;

  private ProgramVariants(List<Variant> variants) {
    this.variants = List.copyOf(variants);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Variant> variants() {
    return variants;
  }

  /**
   * The most preferred variant the host supports. Throws {@link UnsupportedFeatureException} for
   * the last (most basic) variant's missing feature when none is supported, listing them all.
   */
  public Variant choose(Features f) {
    for (Variant v : variants) {
      if (v.supportedBy(f)) {
        return v;
      }
    }
    String each =
        variants.stream()
            .map(v -> v.name() + " (" + f.result(v.firstMissing(f)).detail() + ")")
            .collect(Collectors.joining(", "));
    Feature basic = variants.getLast().firstMissing(f);
    throw new UnsupportedFeatureException(basic, "no variant works here: " + each);
  }

  /**
   * The variant called {@code name}, if the host supports it: asking for one (a fentry hook) on a
   * host without its features throws {@link UnsupportedFeatureException} naming the feature and the
   * kernel it needs, before anything is loaded.
   */
  public Variant require(Features f, String name) {
    Variant v =
        variants.stream()
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no variant " + name));
    Feature missing = v.firstMissing(f);
    if (missing != null) {
      String needs =
          missing.minimumKernel() == null ? "" : ", Linux " + missing.minimumKernel() + " or newer";
      throw new UnsupportedFeatureException(
          missing,
          "the " + name + " variant needs it" + needs + "; probe: " + f.result(missing).detail());
    }
    return v;
  }

  /**
   * Before load: autoload exactly the chosen variant's programs among all variants' (programs no
   * variant names are left alone), and skip creating maps only other variants use.
   */
  public void apply(BpfObject obj, Variant chosen) {
    if (!variants.contains(chosen)) {
      throw new IllegalArgumentException("variant " + chosen.name() + " is not one of these");
    }
    Set<String> keepMaps = new HashSet<>(chosen.maps());
    for (Variant v : variants) {
      for (String p : v.programs()) {
        obj.program(p).setAutoload(chosen.programs().contains(p));
      }
      for (String m : v.maps()) {
        if (!keepMaps.contains(m)) {
          obj.map(m).setAutocreate(false);
        }
      }
    }
  }

  /** Chooses with {@link #choose} and {@link #apply}s the choice; returns it. */
  public Variant chooseAndApply(Features f, BpfObject obj) {
    Variant v = choose(f);
    apply(obj, v);
    return v;
  }

  /** Variants in order of preference. */
  public static final class Builder {
    private final List<Variant> variants = new ArrayList<>();

    /** A variant needing {@code requires}; its programs by name. */
    public Builder variant(String name, Set<Feature> requires, String... programs) {
      if (variants.stream().anyMatch(v -> v.name().equals(name))) {
        throw new IllegalArgumentException("variant " + name + " declared twice");
      }
      variants.add(new Variant(name, requires, List.of(programs), List.of()));
      return this;
    }

    /** A variant of fentry/fexit programs ({@link Feature#FENTRY}). */
    public Builder fentry(String... programs) {
      return variant("fentry", Set.of(Feature.FENTRY), programs);
    }

    /** A variant of kprobe/kretprobe programs ({@link Feature#KPROBE}). */
    public Builder kprobe(String... programs) {
      return variant("kprobe", Set.of(Feature.KPROBE), programs);
    }

    /** A variant of classic tracepoint programs ({@link Feature#TRACEPOINT}). */
    public Builder tracepoint(String... programs) {
      return variant("tracepoint", Set.of(Feature.TRACEPOINT), programs);
    }

    /** Maps only the variant declared last uses. */
    public Builder maps(String... maps) {
      if (variants.isEmpty()) {
        throw new IllegalStateException("maps() follows the variant that uses them");
      }
      Variant last = variants.removeLast();
      Set<String> all = new LinkedHashSet<>(last.maps());
      all.addAll(List.of(maps));
      variants.add(new Variant(last.name(), last.requires(), last.programs(), List.copyOf(all)));
      return this;
    }

    public ProgramVariants build() {
      if (variants.isEmpty()) {
        throw new IllegalStateException("no variants");
      }
      return new ProgramVariants(variants);
    }
  }
}
