package dev.aiprof.bpf;

/**
 * Host facilities aiprof's programs may depend on. {@link FeatureProber} finds out which this host
 * has by trying them (loading and attaching tiny programs), never by reading the kernel version;
 * the version here is only for messages ("needs Linux 5.5").
 */
public enum Feature {
  LIBBPF("libbpf 1.1+ (user-space library)", null),
  BTF("kernel BTF (/sys/kernel/btf/vmlinux)", "5.4"),
  TP_BTF("BTF-typed tracepoints (tp_btf)", "5.5"),
  RAW_TP("raw tracepoints (raw_tp)", "4.17"),
  TRACEPOINT("tracepoints", "4.7"),
  FENTRY("fentry/fexit trampolines", "5.5"),
  KPROBE("kprobes", "4.1"),
  UPROBE("uprobes", "4.1"),
  RINGBUF("BPF ring buffer", "5.8"),
  TASK_STORAGE("task-local storage", "5.11"),
  BPF_COOKIE("bpf_get_attach_cookie", "5.15"),
  PERF_EVENT("perf-event programs (perf_event_open sampling)", "4.9"),
  STACK_TRACE("stack trace maps (bpf_get_stackid)", "4.6"),
  BPF_STATS("BPF run-time statistics (BPF_ENABLE_STATS)", "5.8");

  private final String description;
  private final String minimumKernel;

  Feature(String description, String minimumKernel) {
    this.description = description;
    this.minimumKernel = minimumKernel;
  }

  public String description() {
    return description;
  }

  /** The first mainline kernel that had this feature, or null for user-space features. */
  public String minimumKernel() {
    return minimumKernel;
  }
}
