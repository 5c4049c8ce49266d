package dev.aiprof.io.file;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.bpf.fileio.FileIoAbi;
import dev.aiprof.bpf.fileio.FileIoCause;
import dev.aiprof.bpf.fileio.FileIoStats;

/** Cumulative file I/O of a process or a workload: sums of {@link FileIoStats}. Not thread-safe. */
final class FileIoValues {
  final long[] hist = new long[FileIoAbi.HIST_SLOTS];
  final long[] pages = new long[FileIoAbi.CAUSES];
  long reads;
  long readBytes;
  long readNs;
  long writes;
  long writeBytes;
  long majorFaults;
  long slowReads;

  static FileIoValues of(FileIoStats s) {
    FileIoValues v = new FileIoValues();
    long[] h = s.readLatency().counts();
    for (int i = 0; i < v.hist.length && i < h.length; i++) {
      v.hist[i] = h[i];
    }
    System.arraycopy(s.pages(), 0, v.pages, 0, v.pages.length);
    v.reads = s.reads();
    v.readBytes = s.readBytes();
    v.readNs = s.readNs();
    v.writes = s.writes();
    v.writeBytes = s.writeBytes();
    v.majorFaults = s.majorFaults();
    v.slowReads = s.slowReads();
    return v;
  }

  void add(FileIoValues o) {
    for (int i = 0; i < hist.length; i++) {
      hist[i] += o.hist[i];
    }
    for (int i = 0; i < pages.length; i++) {
      pages[i] += o.pages[i];
    }
    reads += o.reads;
    readBytes += o.readBytes;
    readNs += o.readNs;
    writes += o.writes;
    writeBytes += o.writeBytes;
    majorFaults += o.majorFaults;
    slowReads += o.slowReads;
  }

  FileIoValues copy() {
    FileIoValues c = new FileIoValues();
    c.add(this);
    return c;
  }

  /** {@code this - before}, field by field. */
  FileIoValues minus(FileIoValues before) {
    FileIoValues d = copy();
    for (int i = 0; i < hist.length; i++) {
      d.hist[i] -= before.hist[i];
    }
    for (int i = 0; i < pages.length; i++) {
      d.pages[i] -= before.pages[i];
    }
    d.reads -= before.reads;
    d.readBytes -= before.readBytes;
    d.readNs -= before.readNs;
    d.writes -= before.writes;
    d.writeBytes -= before.writeBytes;
    d.majorFaults -= before.majorFaults;
    d.slowReads -= before.slowReads;
    return d;
  }

  long pages(FileIoCause c) {
    return pages[c.code()];
  }

  /** Page-cache misses: pages added for every cause but writes. */
  long misses() {
    long n = 0;
    for (FileIoCause c : FileIoCause.values()) {
      n += c.miss() ? pages[c.code()] : 0;
    }
    return n;
  }

  Log2Histogram latency() {
    return new Log2Histogram(hist.clone());
  }

  boolean isEmpty() {
    return reads == 0 && writes == 0 && majorFaults == 0 && misses() == 0;
  }
}
