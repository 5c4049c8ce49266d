package dev.aiprof.custom.bcc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The loadable segments of a 64-bit little-endian ELF file, to turn a virtual address (what BCC
 * reports for a USDT site of a binary read by path) into the file offset a uprobe attaches at:
 * {@code vaddr - p_vaddr + p_offset} of the {@code PT_LOAD} segment holding it. In a PIE the two
 * are usually equal; in a non-PIE executable they differ by the load address. Immutable.
 */
public record ElfSegments(List<Segment> loads) {
  /** One PT_LOAD segment; {@code flags} its {@code p_flags} (PF_X 1, PF_W 2, PF_R 4). */
  public record Segment(long offset, long vaddr, long fileSize, int flags) {
    /** A segment without flags (read-only, for tests). */
    public Segment(long offset, long vaddr, long fileSize) {
      this(offset, vaddr, fileSize, 4);
    }

    boolean holds(long address) {
      return address >= vaddr && address - vaddr < fileSize;
    }

    boolean writable() {
      return (flags & PF_W) != 0;
    }
  }

  private static final int PF_W = 2;

  private static final int PT_LOAD = 1;
  private static final int MAX_HEADERS = 256;

  public ElfSegments {
    loads = List.copyOf(loads);
  }

  /** Reads the program headers of {@code file}. */
  public static ElfSegments read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(head, 0);
      long phoff = head.getLong(0x20);
      int entSize = Short.toUnsignedInt(head.getShort(0x36));
      int count = Math.min(MAX_HEADERS, Short.toUnsignedInt(head.getShort(0x38)));
      ByteBuffer table = ByteBuffer.allocate(entSize * count).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(table, phoff);
      return parse(head, table, entSize, count);
    }
  }

  /** Parses the ELF header and program header table (pure). */
  static ElfSegments parse(ByteBuffer head, ByteBuffer table, int entSize, int count) {
    if (head.getInt(0) != 0x464c457f || head.get(4) != 2 || head.get(5) != 1) {
      throw new IllegalArgumentException("not a 64-bit little-endian ELF file");
    }
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < count && (i + 1) * entSize <= table.capacity(); i++) {
      int at = i * entSize;
      if (table.getInt(at) == PT_LOAD) {
        out.add(
            new Segment(
                table.getLong(at + 8),
                table.getLong(at + 16),
                table.getLong(at + 32),
                table.getInt(at + 4)));
      }
    }
    return new ElfSegments(out);
  }

  /**
   * The file offset of {@code vaddr}; empty when no PT_LOAD segment's file bytes hold it (never a
   * guess: a uprobe at a wrong offset corrupts the instruction stream it patches).
   */
  public OptionalLong fileOffset(long vaddr) {
    for (Segment s : loads) {
      if (s.holds(vaddr)) {
        return OptionalLong.of(vaddr - s.vaddr() + s.offset());
      }
    }
    return OptionalLong.empty();
  }

  /**
   * The file offset of a USDT semaphore at {@code vaddr} (a {@code u16} the kernel increments
   * through {@code ref_ctr_offset}): only inside a writable PT_LOAD segment's file bytes and 2-byte
   * aligned, else empty.
   */
  public OptionalLong semaphoreOffset(long vaddr) {
    if ((vaddr & 1) != 0) {
      return OptionalLong.empty();
    }
    for (Segment s : loads) {
      if (s.writable() && s.holds(vaddr) && s.holds(vaddr + 1)) {
        long off = vaddr - s.vaddr() + s.offset();
        return (off & 1) == 0 ? OptionalLong.of(off) : OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }
}
