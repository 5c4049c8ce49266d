package dev.aiprof.profiler.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class KallsymsTest {
  private static final String LINES =
      """
      ffffffff81000000 T _stext
      ffffffff81001000 T do_nanosleep
      ffffffff81001200 t hrtimer_nanosleep
      ffffffff81002000 D some_data
      ffffffff81003000 W weak_fn
      ffffffffc0001000 t my_mod_fn\t[my_mod]
      0000000000000000 T hidden
      """;

  @Test
  void resolvesTextSymbolsWithOffsetAndModule() throws Exception {
    Kallsyms k = Kallsyms.parse(new StringReader(LINES));
    assertThat(k.size()).isEqualTo(5);
    Frame f = k.resolve(0xffffffff81001010L);
    assertThat(f.function()).isEqualTo("do_nanosleep");
    assertThat(f.offset()).isEqualTo(0x10);
    assertThat(f.module()).isEqualTo("[kernel]");
    assertThat(k.resolve(0xffffffff81001204L).label()).isEqualTo("hrtimer_nanosleep");
    assertThat(k.resolve(0xffffffffc0001008L).module()).isEqualTo("[my_mod]");
    assertThat(k.resolve(0xffffffff81003001L).function()).isEqualTo("weak_fn");
  }

  @Test
  void addressesBelowTheFirstSymbolStayAddresses() throws Exception {
    Kallsyms k = Kallsyms.parse(new StringReader(LINES));
    Frame f = k.resolve(0x1000);
    assertThat(f.resolved()).isFalse();
    assertThat(f.label()).isEqualTo("[kernel]+0x1000");
  }

  @Test
  void hiddenAddressesGiveAnEmptyTable() throws Exception {
    Kallsyms k = Kallsyms.parse(new StringReader("0000000000000000 T _stext\n"));
    assertThat(k.size()).isZero();
    assertThat(k.resolve(0xffffffff81001010L).resolved()).isFalse();
  }
}
