package dev.aiprof.report;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The recorded fixture: the OTLP files a real {@code aiprof run} wrote while {@code MiniInference}
 * served 10 requests (report/record-fixture.sh). Two clients, two server workers; each request is a
 * client span, a server span, tokenize, embeddings, retrieve (fsync: blocked), a text completion of
 * prefill (with a rival on its CPU: runqueue) and six decode steps; prefill and each decode step
 * also marked through libaiprof.so.
 */
final class Fixture {
  static final int REQUESTS = 10;
  static final int SPANS = 210;

  private Fixture() {}

  static Path dir() {
    try {
      return Path.of(Fixture.class.getResource("fixture").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
