package dev.aiprof.reference.client;

import dev.aiprof.reference.Flags;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The load client's settings (flags of {@code aiprof-reference client}).
 *
 * @param traces the agent's OTLP/HTTP traces endpoint
 * @param server the server's base URI, e.g. {@code http://127.0.0.1:PORT}
 * @param requests how many requests to send
 * @param concurrency how many at once (one thread {@code client-N} each)
 * @param maxTokens {@code max_tokens} of each request
 */
public record ClientSettings(
    String traces, URI server, int requests, int concurrency, int maxTokens) {
  public static final Set<String> KEYS =
      new LinkedHashSet<>(
          List.of("traces-endpoint", "server", "requests", "concurrency", "max-tokens"));

  public static ClientSettings from(Flags f) {
    String server = f.string("server", null);
    if (server == null) {
      throw new Flags.BadFlag("--server http://127.0.0.1:PORT is required");
    }
    return new ClientSettings(
        f.string("traces-endpoint", "http://127.0.0.1:4318/v1/traces"),
        URI.create(server),
        f.integer("requests", 20, 1, 1_000_000),
        f.integer("concurrency", 1, 1, 64),
        f.integer("max-tokens", 16, 1, 512));
  }
}
