package dev.aiprof.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: the file offset of a dynamic symbol, as binutils' readelf reports the ELF (an
 * independent reading, not libbpf's): {@code st_value - sh_addr + sh_offset} of its section.
 */
final class ElfOffsets {
  private ElfOffsets() {}

  static long fileOffset(Path elf, String symbol) {
    String[] sym =
        lines("readelf", "--dyn-syms", "-W", elf.toString()).stream()
            .map(l -> l.trim().split("\\s+"))
            .filter(f -> f.length >= 8 && f[3].equals("FUNC") && name(f[7]).equals(symbol))
            .findFirst()
            .orElseThrow(() -> new AssertionError(symbol + " is not a function of " + elf));
    long value = Long.parseUnsignedLong(sym[1], 16);
    String index = sym[6];
    String[] section =
        lines("readelf", "-SW", elf.toString()).stream()
            .map(String::trim)
            .filter(l -> l.startsWith("[") && l.indexOf(']') > 0)
            .filter(l -> l.substring(1, l.indexOf(']')).trim().equals(index))
            .map(l -> l.substring(l.indexOf(']') + 1).trim().split("\\s+"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("section " + index + " of " + elf));
    long addr = Long.parseUnsignedLong(section[2], 16);
    long off = Long.parseUnsignedLong(section[3], 16);
    return value - addr + off;
  }

  private static String name(String versioned) {
    int at = versioned.indexOf('@');
    return at < 0 ? versioned : versioned.substring(0, at);
  }

  private static List<String> lines(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("%s: %s", List.of(cmd), out).isZero();
      return out.lines().toList();
    } catch (IOException e) {
      throw new AssertionError("run " + List.of(cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
