package dev.aiprof.collectors.otlp;

import static dev.aiprof.collectors.otlp.TestSpans.array;
import static dev.aiprof.collectors.otlp.TestSpans.kv;
import static dev.aiprof.collectors.otlp.TestSpans.num;
import static dev.aiprof.collectors.otlp.TestSpans.str;
import static io.opentelemetry.api.common.AttributeKey.booleanArrayKey;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleArrayKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.api.common.AttributeKey.valueKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnyValuesTest {
  private static AnyValue bool(boolean b) {
    return AnyValue.newBuilder().setBoolValue(b).build();
  }

  private static AnyValue dbl(double d) {
    return AnyValue.newBuilder().setDoubleValue(d).build();
  }

  @Test
  void primitivesKeepTheirTypes() {
    Attributes a =
        AnyValues.attributes(
            List.of(
                kv("s", str("text")), kv("b", bool(true)), kv("i", num(-42)), kv("d", dbl(2.5))));
    assertThat(a.get(stringKey("s"))).isEqualTo("text");
    assertThat(a.get(booleanKey("b"))).isTrue();
    assertThat(a.get(longKey("i"))).isEqualTo(-42L);
    assertThat(a.get(doubleKey("d"))).isEqualTo(2.5);
    assertThat(a.size()).isEqualTo(4);
  }

  @Test
  void homogeneousArraysBecomeTypedArrays() {
    Attributes a =
        AnyValues.attributes(
            List.of(
                kv("ss", array(str("a"), str("b"))),
                kv("bs", array(bool(true), bool(false))),
                kv("is", array(num(1), num(2), num(3))),
                kv("ds", array(dbl(0.5), dbl(1.5))),
                kv("empty", array())));
    assertThat(a.get(stringArrayKey("ss"))).containsExactly("a", "b");
    assertThat(a.get(booleanArrayKey("bs"))).containsExactly(true, false);
    assertThat(a.get(longArrayKey("is"))).containsExactly(1L, 2L, 3L);
    assertThat(a.get(doubleArrayKey("ds"))).containsExactly(0.5, 1.5);
    assertThat(a.get(stringArrayKey("empty"))).isEmpty();
  }

  @Test
  void mixedAndNestedArraysBytesMapsAndEmptyValuesBecomeValues() {
    AnyValue bytes =
        AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2})).build();
    AnyValue map =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder().addValues(kv("k", str("v"))).addValues(kv("n", num(7))))
            .build();
    Attributes a =
        AnyValues.attributes(
            List.of(
                kv("mixed", array(str("a"), num(1))),
                kv("nested", array(array(num(1)), array(num(2)))),
                kv("bytes", bytes),
                kv("map", map),
                kv("unset", AnyValue.getDefaultInstance())));
    assertThat(a.get(valueKey("mixed"))).isEqualTo(Value.of(Value.of("a"), Value.of(1)));
    assertThat(a.get(valueKey("nested")))
        .isEqualTo(Value.of(Value.of(Value.of(1)), Value.of(Value.of(2))));
    assertThat(a.get(valueKey("bytes"))).isEqualTo(Value.of(new byte[] {1, 2}));
    assertThat(a.get(valueKey("map")))
        .isEqualTo(Value.of(KeyValue.of("k", Value.of("v")), KeyValue.of("n", Value.of(7))));
    assertThat(a.get(valueKey("unset"))).isEqualTo(Value.empty());
  }

  @Test
  void profileDictionaryReferencesAndEmptyKeysAreDropped() {
    Attributes a =
        AnyValues.attributes(
            List.of(
                kv("ref", AnyValue.newBuilder().setStringValueStrindex(3).build()),
                kv("", str("no key")),
                kv("kept", str("yes"))));
    assertThat(a.asMap()).hasSize(1);
    assertThat(a.get(stringKey("kept"))).isEqualTo("yes");
  }
}
