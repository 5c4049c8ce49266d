package dev.aiprof.custom.bpftrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lines as bpftrace 0.17 prints them with {@code -f json} (copied from real runs). */
class OutputParserTest {
  private final OutputParser parser = new OutputParser(2);

  @Test
  void readsKeyedAndScalarMaps() {
    var m =
        (OutputLine.MapPrint)
            parser.parse(
                "{\"type\": \"map\", \"data\": {\"@s\": {\"7534,C2 Compiler, x\": 2, \"16215,cut\": 3}}}",
                Map.of("s", 2));
    assertThat(m.map()).isEqualTo("s");
    assertThat(m.entries())
        .containsExactly(
            new OutputLine.Entry(List.of("7534", "C2 Compiler, x"), new MapValue.Number(2)),
            new OutputLine.Entry(List.of("16215", "cut"), new MapValue.Number(3)));
    var n =
        (OutputLine.MapPrint)
            parser.parse("{\"type\": \"map\", \"data\": {\"@n\": 21836}}", Map.of());
    assertThat(n.entries())
        .containsExactly(new OutputLine.Entry(List.of(), new MapValue.Number(21836)));
  }

  @Test
  void boundsTheKeysOfAMap() {
    var m =
        (OutputLine.MapPrint)
            parser.parse(
                "{\"type\": \"map\", \"data\": {\"@c\": {\"1\": 1, \"2\": 2, \"3\": 3}}}",
                Map.of());
    assertThat(m.entries()).hasSize(2);
    assertThat(m.droppedKeys()).isEqualTo(1);
    // bpftrace prints ascending by value: the kept keys are the largest
    assertThat(m.entries()).extracting(e -> e.key().getFirst()).containsExactly("2", "3");
  }

  @Test
  void keepsTheLargestHistogramsAndStatsAndSkipsOddShapes() {
    var h =
        (OutputLine.MapPrint)
            parser.parse(
                "{\"type\": \"hist\", \"data\": {\"@h\": {\"a\": [{\"min\": 1, \"max\": 1,"
                    + " \"count\": 1}], \"b\": \"odd\", \"c\": [], \"d\": [{\"min\": 4,"
                    + " \"max\": 7, \"count\": 9}]}}}",
                Map.of());
    assertThat(h.entries()).extracting(e -> e.key().getFirst()).containsExactly("c", "d");
    assertThat(h.droppedKeys()).isEqualTo(1);
    var st =
        (OutputLine.MapPrint)
            parser.parse(
                "{\"type\": \"stats\", \"data\": {\"@s\": {\"x\": {\"count\": 2,"
                    + " \"average\": 3, \"total\": 6}}}}",
                Map.of());
    assertThat(st.entries().getFirst().value()).isEqualTo(new MapValue.Stats(2, 6, 3));
    assertThat(parser.parse("{\"type\": \"map\", \"data\": {\"@c\": {\"1\": ", Map.of()))
        .isEqualTo(new OutputLine.Other("unparsed"));
    assertThat(parser.parse("[1, 2]", Map.of())).isEqualTo(new OutputLine.Other("unparsed"));
  }

  @Test
  void readsHistogramsIntoLog2Slots() {
    var h =
        (OutputLine.MapPrint)
            parser.parse(
                "{\"type\": \"hist\", \"data\": {\"@h\": [{\"min\": 0, \"max\": 0, \"count\": 3},"
                    + " {\"min\": 1, \"max\": 1, \"count\": 2}, {\"min\": 2, \"max\": 3, \"count\": 4},"
                    + " {\"min\": 256, \"max\": 511, \"count\": 5}]}}",
                Map.of());
    var v = (MapValue.Histogram) h.entries().getFirst().value();
    assertThat(v.slots().count(0)).isEqualTo(5);
    assertThat(v.slots().count(1)).isEqualTo(4);
    assertThat(v.slots().count(8)).isEqualTo(5);
    assertThat(v.slots().total()).isEqualTo(14);
    assertThat(v.estimatedSum()).isEqualTo((long) (2 * 1 + 4 * 2.5 + 5 * 383.5));
    var keyed =
        (OutputLine.MapPrint)
            parser.parse(
                "{\"type\": \"hist\", \"data\": {\"@h\": {\"cut\": [{\"min\": 0, \"max\": 0,"
                    + " \"count\": 1}], \"bash\": [{\"min\": 100, \"count\": 7}]}}}",
                Map.of("h", 1));
    assertThat(keyed.entries())
        .extracting(OutputLine.Entry::key)
        .containsExactly(List.of("cut"), List.of("bash"));
    assertThat(((MapValue.Histogram) keyed.entries().get(1).value()).slots().count(6)).isEqualTo(7);
  }

  @Test
  void readsStatsAttachAndLostLines() {
    var s =
        (OutputLine.MapPrint)
            parser.parse(
                "{\"type\": \"stats\", \"data\": {\"@x\": {\"count\": 21820, \"average\": 96,"
                    + " \"total\": 2099531}}}",
                Map.of());
    assertThat(s.entries().getFirst().value()).isEqualTo(new MapValue.Stats(21820, 2099531, 96));
    assertThat(parser.parse("{\"type\": \"attached_probes\", \"data\": {\"probes\": 2}}", Map.of()))
        .isEqualTo(new OutputLine.Attached(2));
    assertThat(parser.parse("{\"type\": \"lost_events\", \"data\": {\"events\": 9}}", Map.of()))
        .isEqualTo(new OutputLine.Lost(9));
    assertThat(parser.parse("{\"type\": \"printf\", \"data\": \"hi\"}", Map.of()))
        .isEqualTo(new OutputLine.Other("printf"));
    assertThat(parser.parse("{not json", Map.of())).isEqualTo(new OutputLine.Other("unparsed"));
  }

  @Test
  void slotsAreLog2OfTheLowerBound() {
    assertThat(OutputParser.slot(-5)).isZero();
    assertThat(OutputParser.slot(1)).isZero();
    assertThat(OutputParser.slot(2)).isEqualTo(1);
    assertThat(OutputParser.slot(1L << 40)).isEqualTo(40);
  }
}
