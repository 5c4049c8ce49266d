package dev.aiprof.bpf.cuda;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The functions a shared library exports: the defined {@code STT_FUNC} and {@code STT_GNU_IFUNC}
 * entries of its {@code .dynsym}, read from a 64-bit little-endian ELF file. Used to attach only to
 * the CUDA functions a library has (older drivers lack some, fakes lack most) without a failed
 * attach per missing one. Stateless.
 */
public final class ElfExports {
  private static final int SHT_DYNSYM = 11;
  private static final int STT_FUNC = 2;
  private static final int STT_GNU_IFUNC = 10;

  private ElfExports() {}

  /**
   * The exported function names of {@code file}; throws IOException for a file that is no ELF64.
   */
  public static Set<String> of(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
      return parse(b.order(ByteOrder.LITTLE_ENDIAN));
    }
  }

  /** The exported function names of an ELF image. */
  static Set<String> parse(ByteBuffer b) throws IOException {
    if (b.limit() < 64 || b.getInt(0) != 0x464c457f || b.get(4) != 2 || b.get(5) != 1) {
      throw new IOException("not a 64-bit little-endian ELF file");
    }
    long shoff = b.getLong(0x28);
    int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
    int shnum = Short.toUnsignedInt(b.getShort(0x3c));
    Set<String> out = new HashSet<>();
    for (int i = 0; i < shnum; i++) {
      int sh = checked(b, shoff + (long) i * shentsize, 64);
      if (b.getInt(sh + 4) == SHT_DYNSYM) {
        int link = b.getInt(sh + 0x28);
        int str = checked(b, shoff + (long) link * shentsize, 64);
        symbols(b, sh, b.getLong(str + 0x18), out);
      }
    }
    return out;
  }

  private static void symbols(ByteBuffer b, int sh, long strtab, Set<String> out)
      throws IOException {
    long off = b.getLong(sh + 0x18);
    long size = b.getLong(sh + 0x20);
    long ent = Math.max(24, b.getLong(sh + 0x38));
    for (long s = off; s + 24 <= off + size; s += ent) {
      int sym = checked(b, s, 24);
      int type = b.get(sym + 4) & 0xf;
      int shndx = Short.toUnsignedInt(b.getShort(sym + 6));
      if (shndx != 0 && (type == STT_FUNC || type == STT_GNU_IFUNC)) {
        out.add(string(b, strtab + Integer.toUnsignedLong(b.getInt(sym))));
      }
    }
  }

  private static String string(ByteBuffer b, long at) throws IOException {
    int start = checked(b, at, 1);
    int end = start;
    while (end < b.limit() && b.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - start];
    b.get(start, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static int checked(ByteBuffer b, long at, int len) throws IOException {
    if (at < 0 || at + len > b.limit()) {
      throw new IOException("ELF offset " + at + " is outside the file");
    }
    return (int) at;
  }
}
