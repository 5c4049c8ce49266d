package dev.aiprof.exporters;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;

/**
 * The agent's own resource: {@code host.name}, {@code k8s.node.name} when known, {@code
 * service.version}. It sits under the autoconfigured resource, so {@code OTEL_RESOURCE_ATTRIBUTES}
 * and {@code OTEL_SERVICE_NAME} win. Workload identity is not here: it goes on each span's resource
 * and on each metric series.
 */
public final class AgentResource {
  public static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  public static final AttributeKey<String> NODE_NAME = AttributeKey.stringKey("k8s.node.name");
  public static final AttributeKey<String> SERVICE_VERSION =
      AttributeKey.stringKey("service.version");

  private AgentResource() {}

  public static Resource of(ExporterOptions o) {
    AttributesBuilder b = Attributes.builder();
    if (o.hostName() != null && !o.hostName().isBlank()) {
      b.put(HOST_NAME, o.hostName());
    }
    if (o.nodeName() != null && !o.nodeName().isBlank()) {
      b.put(NODE_NAME, o.nodeName());
    }
    b.put(SERVICE_VERSION, o.version());
    return Resource.create(b.build());
  }
}
