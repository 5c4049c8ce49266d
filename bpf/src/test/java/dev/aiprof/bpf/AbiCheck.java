package dev.aiprof.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper: a probe's Java mirrors ({@link AbiStruct}, {@link AbiEnum}) against its shared
 * header, both ways. The header's text says which structs and enums it declares (so one that BTF
 * lacks, or that Java does not mirror, is noticed); the compiled object's BTF says what they are.
 */
public final class AbiCheck {
  private static final Pattern DECL = Pattern.compile("\\b(enum|struct)\\s+(\\w+)\\s*\\{");

  private AbiCheck() {}

  /** The enum and struct tags {@code header} (a path from the module directory) declares. */
  public static Set<String> declared(Path header, String kind) {
    String text;
    try {
      text = Files.readString(header);
    } catch (IOException e) {
      throw new UncheckedIOException("read " + header.toAbsolutePath(), e);
    }
    text = text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    Set<String> out = new LinkedHashSet<>();
    Matcher m = DECL.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(kind)) {
        out.add(m.group(2));
      }
    }
    return out;
  }

  /** Every struct of {@code header}: mirrored, in BTF, and field by field of the same C type. */
  public static void structsMatch(BpfObject obj, Path header, List<AbiStruct> java) {
    assertThat(java.stream().map(AbiStruct::name))
        .as("structs of %s mirrored in Java", header.getFileName())
        .containsExactlyInAnyOrderElementsOf(declared(header, "struct"));
    Btf btf = obj.btf();
    for (AbiStruct s : java) {
      Map<String, CType> c = btf.fieldTypes(s.name());
      assertThat(c)
          .as("struct %s in %s's BTF (reference it in the .bpf.c)", s.name(), obj.name())
          .isNotEmpty();
      assertThat(s.fieldTypes())
          .as("field types of struct %s: Java mirror vs %s", s.name(), header.getFileName())
          .containsExactlyEntriesOf(c);
      for (MemoryLayout m : s.layout().memberLayouts()) {
        if (m instanceof PaddingLayout) {
          continue;
        }
        CType t = c.get(m.name().orElseThrow());
        assertThat(m.byteSize())
            .as("Java width of %s.%s", s.name(), m.name().get())
            .isEqualTo(t.byteSize());
        if (m instanceof SequenceLayout seq && t instanceof CType.Array a) {
          assertThat(seq.elementLayout().byteSize())
              .as("Java element width of %s.%s", s.name(), m.name().get())
              .isEqualTo(a.element().byteSize());
        }
      }
    }
  }

  /** Every enum of {@code header}: mirrored, in BTF, with the same enumerators and values. */
  public static void enumsMatch(BpfObject obj, Path header, List<AbiEnum> java) {
    assertThat(java.stream().map(AbiEnum::name))
        .as("enums of %s mirrored in Java", header.getFileName())
        .containsExactlyInAnyOrderElementsOf(declared(header, "enum"));
    Btf btf = obj.btf();
    for (AbiEnum e : java) {
      Map<String, Long> c = btf.enumValues(e.name());
      assertThat(c)
          .as(
              "enum %s in %s's BTF (add it to the \"referenced so BTF keeps it\" list)",
              e.name(), obj.name())
          .isNotEmpty();
      assertThat(e.values())
          .as("enumerators of enum %s: Java mirror vs %s", e.name(), header.getFileName())
          .containsExactlyInAnyOrderEntriesOf(c);
    }
  }
}
