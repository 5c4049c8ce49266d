package dev.aiprof.collectors.otlp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP attribute values → OpenTelemetry {@link Attributes}, keeping every value: strings, booleans,
 * integers and doubles as themselves; arrays whose elements all have one of those types as typed
 * arrays (an empty array as an empty string array, as the SDKs send it); anything else — byte
 * strings, key-value lists, mixed or nested arrays, empty values — as a {@link Value} under {@link
 * AttributeKey#valueKey}. {@code string_value_strindex} (a reference into a profiles dictionary,
 * meaningless in traces) and empty keys are dropped. Pure and thread-safe.
 */
final class AnyValues {
  private AnyValues() {}

  static Attributes attributes(List<KeyValue> keyValues) {
    if (keyValues.isEmpty()) {
      return Attributes.empty();
    }
    AttributesBuilder b = Attributes.builder();
    for (KeyValue kv : keyValues) {
      put(b, kv.getKey(), kv.getValue());
    }
    return b.build();
  }

  static void put(AttributesBuilder b, String key, AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> b.put(key, v.getStringValue());
      case BOOL_VALUE -> b.put(key, v.getBoolValue());
      case INT_VALUE -> b.put(key, v.getIntValue());
      case DOUBLE_VALUE -> b.put(key, v.getDoubleValue());
      case ARRAY_VALUE -> putArray(b, key, v.getArrayValue().getValuesList());
      case STRING_VALUE_STRINDEX -> {}
      default -> b.put(AttributeKey.valueKey(key), value(v));
    }
  }

  private static void putArray(AttributesBuilder b, String key, List<AnyValue> values) {
    AnyValue.ValueCase common = commonCase(values);
    switch (common) {
      case STRING_VALUE ->
          b.put(AttributeKey.stringArrayKey(key), map(values, AnyValue::getStringValue));
      case BOOL_VALUE ->
          b.put(AttributeKey.booleanArrayKey(key), map(values, AnyValue::getBoolValue));
      case INT_VALUE -> b.put(AttributeKey.longArrayKey(key), map(values, AnyValue::getIntValue));
      case DOUBLE_VALUE ->
          b.put(AttributeKey.doubleArrayKey(key), map(values, AnyValue::getDoubleValue));
      default -> b.put(AttributeKey.valueKey(key), Value.of(values(values)));
    }
  }

  /** The one case all elements share when it is a primitive; VALUE_NOT_SET otherwise. */
  private static AnyValue.ValueCase commonCase(List<AnyValue> values) {
    if (values.isEmpty()) {
      return AnyValue.ValueCase.STRING_VALUE;
    }
    AnyValue.ValueCase first = values.getFirst().getValueCase();
    boolean primitive =
        switch (first) {
          case STRING_VALUE, BOOL_VALUE, INT_VALUE, DOUBLE_VALUE -> true;
          default -> false;
        };
    for (AnyValue v : values) {
      if (v.getValueCase() != first) {
        return AnyValue.ValueCase.VALUE_NOT_SET;
      }
    }
    return primitive ? first : AnyValue.ValueCase.VALUE_NOT_SET;
  }

  /** Any OTLP value as an API {@link Value}, recursively. */
  static Value<?> value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> Value.of(v.getStringValue());
      case BOOL_VALUE -> Value.of(v.getBoolValue());
      case INT_VALUE -> Value.of(v.getIntValue());
      case DOUBLE_VALUE -> Value.of(v.getDoubleValue());
      case BYTES_VALUE -> Value.of(v.getBytesValue().toByteArray());
      case ARRAY_VALUE -> Value.of(values(v.getArrayValue().getValuesList()));
      case KVLIST_VALUE -> {
        Map<String, Value<?>> m = new LinkedHashMap<>();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          m.put(kv.getKey(), value(kv.getValue()));
        }
        yield Value.of(m);
      }
      default -> Value.empty();
    };
  }

  private static List<Value<?>> values(List<AnyValue> values) {
    List<Value<?>> out = new ArrayList<>(values.size());
    for (AnyValue v : values) {
      out.add(value(v));
    }
    return out;
  }

  private static <T> List<T> map(
      List<AnyValue> values, java.util.function.Function<AnyValue, T> f) {
    List<T> out = new ArrayList<>(values.size());
    for (AnyValue v : values) {
      out.add(f.apply(v));
    }
    return out;
  }
}
