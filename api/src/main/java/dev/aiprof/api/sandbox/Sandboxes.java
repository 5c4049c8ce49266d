package dev.aiprof.api.sandbox;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises a sandboxed workload from a host process's chain (the process, then its ancestors) and
 * its cgroup paths. Pure and thread-safe.
 *
 * <ul>
 *   <li>gVisor: {@code runsc} re-executes itself as {@code runsc-sandbox} (the Sentry) and {@code
 *       runsc-gofer} (argv[0]; the comm is {@code exe}); older and other builds keep argv[0] {@code
 *       runsc} with the subcommand {@code boot} or {@code gofer}. The process itself must be one of
 *       these (the container's processes have no host process of their own).
 *   <li>Kata: the shim {@code containerd-shim-kata-v2} (comm truncated to {@code containerd-shim},
 *       so argv[0] decides), itself or an ancestor; its VMM is the first of {@code
 *       qemu-system-*}/{@code qemu-kvm}, {@code cloud-hypervisor}, {@code firecracker} in the
 *       chain; {@code virtiofsd} is a helper. Or a cgroup path with a {@code kata_} segment ({@code
 *       kata_overhead}, {@code kata_<sandbox id>}, where Kata puts the VMM and shim).
 *   <li>Firecracker: a {@code firecracker} or {@code jailer} process with no Kata shim above it,
 *       the firecracker-containerd shim {@code containerd-shim-aws-firecracker}, or a cgroup path
 *       under {@code /firecracker/} (the jailer's default parent cgroup).
 * </ul>
 */
public final class Sandboxes {
  private static final String KATA_SHIM = "containerd-shim-kata-v2";
  private static final String FC_SHIM = "containerd-shim-aws-firecracker";
  private static final Set<String> GVISOR_SUBCOMMANDS = Set.of("boot", "gofer");

  private Sandboxes() {}

  /**
   * @param chain the process first, then its parent, grandparent ... (any length, may be empty)
   * @param cgroupPaths the process's cgroup paths (v2 and v1), as {@code /proc/PID/cgroup} shows
   */
  public static Optional<Sandbox> recognise(List<ProcNode> chain, List<String> cgroupPaths) {
    if (!chain.isEmpty()) {
      Optional<Sandbox> g = gvisor(chain.getFirst());
      if (g.isPresent()) {
        return g;
      }
    }
    Optional<String> vmm = Optional.empty();
    String selfRole = null;
    for (int i = 0; i < chain.size(); i++) {
      ProcNode n = chain.get(i);
      String prog = n.program();
      Optional<String> v = vmmOf(prog);
      if (vmm.isEmpty() && v.isPresent()) {
        vmm = v;
      }
      if (i == 0) {
        selfRole = roleOf(prog);
      }
      if (prog.equals(KATA_SHIM)) {
        return Optional.of(new Sandbox(Sandbox.Kind.KATA, i == 0 ? "shim" : role(selfRole), vmm));
      }
      if (prog.equals(FC_SHIM)) {
        return Optional.of(
            new Sandbox(
                Sandbox.Kind.FIRECRACKER,
                i == 0 ? "shim" : role(selfRole),
                Optional.of("firecracker")));
      }
    }
    for (String path : cgroupPaths) {
      if (hasSegment(path, "kata_")) {
        return Optional.of(new Sandbox(Sandbox.Kind.KATA, roleOr(selfRole, "cgroup"), vmm));
      }
    }
    boolean firecrackerCgroup =
        cgroupPaths.stream()
            .anyMatch(p -> p.startsWith("/firecracker/") || p.equals("/firecracker"));
    for (ProcNode n : chain) {
      String prog = n.program();
      if (prog.equals("firecracker") || prog.equals("jailer")) {
        return Optional.of(
            new Sandbox(Sandbox.Kind.FIRECRACKER, role(selfRole), Optional.of("firecracker")));
      }
    }
    if (firecrackerCgroup) {
      return Optional.of(
          new Sandbox(
              Sandbox.Kind.FIRECRACKER, roleOr(selfRole, "cgroup"), Optional.of("firecracker")));
    }
    return Optional.empty();
  }

  private static Optional<Sandbox> gvisor(ProcNode self) {
    String prog = self.program();
    String role =
        switch (prog) {
          case "runsc-sandbox" -> "sandbox";
          case "runsc-gofer" -> "gofer";
          case "runsc" -> subcommand(self.argv());
          default -> null;
        };
    return role == null
        ? Optional.empty()
        : Optional.of(new Sandbox(Sandbox.Kind.GVISOR, role, Optional.empty()));
  }

  /** runsc's subcommand, if it is boot (the Sentry) or gofer; flags come before it. */
  private static String subcommand(List<String> argv) {
    for (String a : argv.subList(1, argv.size())) {
      if (!a.startsWith("-")) {
        return GVISOR_SUBCOMMANDS.contains(a) ? (a.equals("boot") ? "sandbox" : "gofer") : null;
      }
    }
    return null;
  }

  private static Optional<String> vmmOf(String prog) {
    if (prog.startsWith("qemu-system-") || prog.equals("qemu-kvm") || prog.startsWith("qemu")) {
      return Optional.of("qemu");
    }
    return switch (prog) {
      case "cloud-hypervisor" -> Optional.of("cloud-hypervisor");
      case "firecracker" -> Optional.of("firecracker");
      case "dragonball" -> Optional.of("dragonball");
      default -> Optional.empty();
    };
  }

  private static String roleOf(String prog) {
    if (vmmOf(prog).isPresent()) {
      return "vmm";
    }
    return switch (prog) {
      case "jailer" -> "jailer";
      case "virtiofsd" -> "helper";
      default -> null;
    };
  }

  private static String role(String selfRole) {
    return roleOr(selfRole, "guest-helper");
  }

  private static String roleOr(String selfRole, String fallback) {
    return selfRole != null ? selfRole : fallback;
  }

  private static boolean hasSegment(String path, String prefix) {
    for (String seg : path.split("/")) {
      if (seg.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
