package dev.aiprof.bpf;

import java.lang.foreign.MemorySegment;

/**
 * One attachment of a program. {@link #close()} detaches it; closing twice is harmless. Links not
 * closed by their user are closed with their {@link BpfObject}.
 */
public final class BpfLink implements AutoCloseable {
  private final BpfObject owner;
  private final MemorySegment link;
  private final String target;
  private boolean closed;

  BpfLink(BpfObject owner, MemorySegment link, String target) {
    this.owner = owner;
    this.link = link;
    this.target = target;
  }

  /** What this link attaches, e.g. "sched_switch_btf" or "marker to uprobe /lib/x.so:f". */
  public String target() {
    return target;
  }

  /** The link's id in the kernel (as bpftool shows it). */
  public int id() {
    return ProgramInfo.idOf(fd(), "link " + target);
  }

  public int fd() {
    try {
      return (int) LibBpf.LINK_FD.invokeExact(link);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    owner.untrack(this);
    try {
      int rc = (int) LibBpf.LINK_DESTROY.invokeExact(link);
      if (rc < 0) {
        throw new BpfException("detach " + target, -rc);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  @Override
  public String toString() {
    return "BpfLink[" + target + "]";
  }
}
