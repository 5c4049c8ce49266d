package dev.aiprof.agent.privilege;

import dev.aiprof.agent.identity.Capabilities.Cap;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the chosen collectors need that the effective capability set lacks: pure, from the CapEff
 * mask, so that a missing privilege is named as such instead of being reported as a kernel that
 * lacks a feature. Immutable.
 */
public final class PrivilegeCheck {
  /**
   * One missing capability.
   *
   * @param need the capability and why
   * @param collectors the chosen collectors it stops
   */
  public record Missing(Need need, Set<String> collectors) {
    /** "CAP_SYS_ADMIN for marker, cuda: attach uprobes: ..." */
    public String describe() {
      return need.cap().name() + " for " + String.join(", ", collectors) + ": " + need.why();
    }
  }

  private final Set<Cap> have;
  private final List<Missing> missing;

  private PrivilegeCheck(Set<Cap> have, List<Missing> missing) {
    this.have = have;
    this.missing = missing;
  }

  /** Checks {@code have} against what {@code collectors} (the ones chosen to run) need. */
  public static PrivilegeCheck of(Set<Cap> have, Set<String> collectors) {
    List<Missing> missing = new ArrayList<>();
    for (Need n : Need.values()) {
      Set<String> hit = new TreeSet<>(n.collectors());
      hit.retainAll(collectors);
      if (!hit.isEmpty() && !n.grantedBy(have)) {
        missing.add(new Missing(n, hit));
      }
    }
    Set<Cap> held = EnumSet.noneOf(Cap.class);
    held.addAll(have);
    return new PrivilegeCheck(held, List.copyOf(missing));
  }

  public List<Missing> missing() {
    return missing;
  }

  public boolean complete() {
    return missing.isEmpty();
  }

  /** The collectors some missing capability stops. */
  public Set<String> stopped() {
    return missing.stream()
        .flatMap(m -> m.collectors().stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The capabilities held that the agent knows of, e.g. "CAP_BPF CAP_PERFMON", or "none". */
  public String held() {
    String s = have.stream().map(Enum::name).collect(Collectors.joining(" "));
    return s.isEmpty() ? "none" : s;
  }

  /** The fix: the capabilities to grant, as setpriv or systemd's AmbientCapabilities names them. */
  public String fix() {
    String caps = missing.stream().map(m -> m.need().cap().name()).collect(Collectors.joining(" "));
    return "run as root (sudo), or grant " + caps + " (systemd: AmbientCapabilities=" + caps + ")";
  }
}
