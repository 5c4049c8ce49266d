package dev.aiprof.api.sandbox;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Optional;

/**
 * A sandbox a host process belongs to, as recognised by {@link Sandboxes}. Immutable.
 *
 * @param kind gVisor, Kata or Firecracker
 * @param role what the recognised host process is in the sandbox: {@code sandbox} (gVisor's
 *     Sentry), {@code gofer}, {@code shim}, {@code vmm}, {@code jailer}, {@code helper} (e.g.
 *     virtiofsd), or {@code cgroup} when only the cgroup path said so
 * @param vmm the virtual machine monitor, for micro-VMs when known ({@code qemu}, {@code
 *     cloud-hypervisor}, {@code firecracker}, {@code dragonball})
 */
public record Sandbox(Kind kind, String role, Optional<String> vmm) {
  /** {@code aiprof.sandbox}: gvisor, kata or firecracker; absent for an unsandboxed workload. */
  public static final AttributeKey<String> SANDBOX = AttributeKey.stringKey("aiprof.sandbox");

  /** {@code aiprof.sandbox.role}: what the host process is to the sandbox. */
  public static final AttributeKey<String> ROLE = AttributeKey.stringKey("aiprof.sandbox.role");

  /** {@code aiprof.sandbox.vmm}: the micro-VM's monitor. */
  public static final AttributeKey<String> VMM = AttributeKey.stringKey("aiprof.sandbox.vmm");

  /** {@code container.runtime}, as identity exports it. */
  public static final AttributeKey<String> CONTAINER_RUNTIME =
      AttributeKey.stringKey("container.runtime");

  /** {@code aiprof.sched.observable}: false where per-thread scheduler figures mean nothing. */
  public static final AttributeKey<Boolean> SCHED_OBSERVABLE =
      AttributeKey.booleanKey("aiprof.sched.observable");

  /** {@code aiprof.sched.unobservable_reason}: why, in words. */
  public static final AttributeKey<String> SCHED_REASON =
      AttributeKey.stringKey("aiprof.sched.unobservable_reason");

  /** The kinds of sandbox. */
  public enum Kind {
    /** gVisor: a user-space kernel (the Sentry) runs the workload on its own host threads. */
    GVISOR("gvisor", "runsc"),
    /** Kata Containers: the pod runs in a VM; the host sees the VMM's vCPU threads. */
    KATA("kata", "kata"),
    /** Firecracker (bare, jailer or firecracker-containerd): a micro-VM, vCPU threads only. */
    FIRECRACKER("firecracker", "firecracker");

    private final String label;
    private final String runtime;

    Kind(String label, String runtime) {
      this.label = label;
      this.runtime = runtime;
    }

    /** The {@code aiprof.sandbox} value. */
    public String label() {
      return label;
    }

    /** The {@code container.runtime} value. */
    public String runtime() {
      return runtime;
    }
  }

  /** Why the host cannot see the workload's threads (the {@link #SCHED_REASON} text). */
  public String reason() {
    return switch (kind) {
      case GVISOR ->
          "gVisor: the workload's threads are scheduled by the Sentry on its own host threads;"
              + " the host sees the sandbox, per-thread and per-phase figures would be the"
              + " Sentry's";
      case KATA, FIRECRACKER ->
          "micro-VM: the host sees only the VMM's vCPU and I/O threads; the guest's threads and"
              + " pids are invisible, per-thread and per-phase figures would be the vCPUs'";
    };
  }

  /** The attributes identity adds for this sandbox. */
  public Attributes attributes() {
    AttributesBuilder b =
        Attributes.builder()
            .put(SANDBOX, kind.label())
            .put(CONTAINER_RUNTIME, kind.runtime())
            .put(ROLE, role)
            .put(SCHED_OBSERVABLE, false)
            .put(SCHED_REASON, reason());
    vmm.ifPresent(v -> b.put(VMM, v));
    return b.build();
  }
}
