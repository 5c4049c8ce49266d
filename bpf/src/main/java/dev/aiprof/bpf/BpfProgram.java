package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One program of a {@link BpfObject}. Before load: choose whether it loads ({@link #setAutoload}).
 * After load: attach it; every attachment is a {@link BpfLink} that the caller (or the object's
 * close) detaches.
 */
public final class BpfProgram {
  private final BpfObject owner;
  private final MemorySegment prog;
  private final String name;

  BpfProgram(BpfObject owner, MemorySegment prog) {
    this.owner = owner;
    this.prog = prog;
    try {
      this.name = Native.string((MemorySegment) LibBpf.PROGRAM_NAME.invokeExact(prog));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public String name() {
    return name;
  }

  /** The ELF section, which says how libbpf attaches it, e.g. {@code tp_btf/sched_switch}. */
  public String section() {
    owner.checkOpen();
    try {
      return Native.string((MemorySegment) LibBpf.PROGRAM_SECTION.invokeExact(prog));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public boolean autoload() {
    owner.checkOpen();
    try {
      return (boolean) LibBpf.PROGRAM_AUTOLOAD.invokeExact(prog);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public BpfProgram setAutoload(boolean load) {
    owner.checkNotLoaded("set autoload of " + name);
    try {
      check("set autoload of " + name, (int) LibBpf.PROGRAM_SET_AUTOLOAD.invokeExact(prog, load));
      return this;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** The program's file descriptor after load, or -1 when it did not load. */
  public int fd() {
    owner.checkOpen();
    try {
      return (int) LibBpf.PROGRAM_FD.invokeExact(prog);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** The program's id in the kernel (as bpftool shows it), after load. */
  public int id() {
    owner.checkLoaded("id of " + name);
    return ProgramInfo.idOf(fd(), "program " + name);
  }

  /** Attaches as its section says (tracepoint, raw_tp, tp_btf, fentry, uprobe with a path...). */
  public BpfLink attach() {
    return link(
        "attach " + name,
        Refusals.featureOf(section()),
        (errno, arena) -> (MemorySegment) LibBpf.PROGRAM_ATTACH.invokeExact(errno, prog));
  }

  /** Attaches a tp_btf, fentry or fexit program to its BTF-named target. */
  public BpfLink attachTrace() {
    return link(
        "attach " + name,
        Refusals.featureOf(section()),
        (errno, arena) -> (MemorySegment) LibBpf.PROGRAM_ATTACH_TRACE.invokeExact(errno, prog));
  }

  public BpfLink attachRawTracepoint(String tracepoint) {
    return link(
        "attach " + name + " to raw tracepoint " + tracepoint,
        null,
        (errno, arena) ->
            (MemorySegment)
                LibBpf.PROGRAM_ATTACH_RAW_TP.invokeExact(
                    errno, prog, arena.allocateFrom(tracepoint)));
  }

  public BpfLink attachTracepoint(String category, String tracepoint) {
    return link(
        "attach " + name + " to tracepoint " + category + "/" + tracepoint,
        null,
        (errno, arena) ->
            (MemorySegment)
                LibBpf.PROGRAM_ATTACH_TP.invokeExact(
                    errno, prog, arena.allocateFrom(category), arena.allocateFrom(tracepoint)));
  }

  /**
   * Attaches a uprobe program at {@code u}: a function by name (plus its offset), or a file offset
   * alone ({@link Uprobe#atOffset}).
   */
  public BpfLink attachUprobe(Uprobe u) {
    return attachUprobe(u, 0);
  }

  /**
   * Attaches a uprobe program at {@code u} with a reference counter: the kernel raises the {@code
   * u16} at file offset {@code refCtrOffset} of the same file in every process it probes while
   * attached (a USDT probe's semaphore, which the traced code tests before firing the probe), and
   * lowers it on detach. 0 for none.
   */
  public BpfLink attachUprobe(Uprobe u, long refCtrOffset) {
    String what =
        "attach "
            + name
            + " to "
            + (u.returnProbe() ? "uretprobe " : "uprobe ")
            + u.location()
            + (u.pid() < 0 ? "" : " in pid " + u.pid());
    return link(
        what,
        null,
        (errno, arena) -> {
          MemorySegment opts = arena.allocate(40, 8);
          opts.set(JAVA_LONG, 0, 40);
          opts.set(JAVA_LONG, 8, refCtrOffset);
          opts.set(JAVA_LONG, 16, u.cookie());
          opts.set(JAVA_BOOLEAN, 24, u.returnProbe());
          opts.set(
              ADDRESS,
              32,
              u.function() == null ? MemorySegment.NULL : arena.allocateFrom(u.function()));
          return (MemorySegment)
              LibBpf.PROGRAM_ATTACH_UPROBE.invokeExact(
                  errno,
                  prog,
                  u.pid(),
                  arena.allocateFrom(u.binary().toString()),
                  u.offset(),
                  opts);
        });
  }

  /**
   * Attaches a kprobe program to kernel function {@code function} (at return with {@code
   * retprobe}). On a host without kprobes (probed) this throws {@link UnsupportedFeatureException}
   * for {@link Feature#KPROBE}; choose a variant with {@link ProgramVariants} to avoid asking.
   */
  public BpfLink attachKprobe(String function, boolean retprobe) {
    return link(
        "attach " + name + " to " + (retprobe ? "kretprobe " : "kprobe ") + function,
        Feature.KPROBE,
        (errno, arena) ->
            (MemorySegment)
                LibBpf.PROGRAM_ATTACH_KPROBE.invokeExact(
                    errno, prog, retprobe, arena.allocateFrom(function)));
  }

  /**
   * Attaches a {@code SEC("perf_event")} program to the perf event open at {@code perfFd} and
   * enables it. On success the link owns the descriptor (libbpf closes it when the link is
   * destroyed): do not close it yourself. On failure it stays the caller's.
   */
  public BpfLink attachPerfEvent(int perfFd) {
    return link(
        "attach " + name + " to perf event fd " + perfFd,
        Feature.PERF_EVENT,
        (errno, arena) ->
            (MemorySegment) LibBpf.PROGRAM_ATTACH_PERF_EVENT.invokeExact(errno, prog, perfFd));
  }

  /** Attaches to {@code event}, which then belongs to the link (its close does nothing). */
  public BpfLink attachPerfEvent(PerfEvent event) {
    synchronized (event) {
      if (!event.owned()) {
        throw new IllegalStateException(event + " is closed or attached already");
      }
      BpfLink link =
          link(
              "attach " + name + " to " + event,
              Feature.PERF_EVENT,
              (errno, arena) ->
                  (MemorySegment)
                      LibBpf.PROGRAM_ATTACH_PERF_EVENT.invokeExact(errno, prog, event.fd()));
      event.handedOver();
      return link;
    }
  }

  /** The kernel's run-time accounting of this program (needs {@link RunTimeStats} on). */
  public ProgramStats stats() {
    owner.checkLoaded("stats of " + name);
    return ProgramInfo.stats(fd(), name);
  }

  void setLogBuffer(MemorySegment buf) {
    try {
      int rc = (int) LibBpf.PROGRAM_SET_LOG_BUF.invokeExact(prog, buf, buf.byteSize());
      check("set log buffer of " + name, rc);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private interface Attach {
    MemorySegment call(MemorySegment errno, Arena arena) throws Throwable;
  }

  /**
   * Attaches; a failure where the host lacks {@code needs} (probed) is an {@link
   * UnsupportedFeatureException}, any other a {@link BpfException}.
   */
  private BpfLink link(String what, Feature needs, Attach attach) {
    owner.checkLoaded(what);
    LibBpfLog.clearRecent();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoSlot(arena);
      MemorySegment l = attach.call(errno, arena);
      if (Native.isNull(l)) {
        throw Refusals.failure(what, LibBpf.errno(errno), needs);
      }
      return owner.track(new BpfLink(owner, l, what.substring("attach ".length())));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private static void check(String what, int rc) {
    if (rc < 0) {
      throw new BpfException(what, -rc);
    }
  }
}
