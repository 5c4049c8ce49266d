package dev.aiprof.collectors.jfr;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Attribute keys of JFR phases: OpenTelemetry semantic-convention names where one exists ({@code
 * jvm.gc.name}, {@code jvm.gc.cause}, {@code thread.name}), {@code aiprof.jfr.*} otherwise.
 */
public final class JfrAttributes {
  public static final AttributeKey<String> KIND = AttributeKey.stringKey("aiprof.jfr.kind");
  public static final AttributeKey<String> GC_NAME = AttributeKey.stringKey("jvm.gc.name");
  public static final AttributeKey<String> GC_CAUSE = AttributeKey.stringKey("jvm.gc.cause");
  public static final AttributeKey<Long> GC_ID = AttributeKey.longKey("aiprof.jfr.gc_id");
  public static final AttributeKey<String> GC_PAUSE = AttributeKey.stringKey("aiprof.jfr.gc_pause");
  public static final AttributeKey<String> VM_OPERATION =
      AttributeKey.stringKey("aiprof.jfr.vm_operation");
  public static final AttributeKey<Long> SAFEPOINT_ID =
      AttributeKey.longKey("aiprof.jfr.safepoint_id");
  public static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");

  private JfrAttributes() {}
}
