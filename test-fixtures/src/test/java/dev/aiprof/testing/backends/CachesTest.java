package dev.aiprof.testing.backends;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachesTest {
  @TempDir Path root;

  @Test
  void theFirstPublishWinsAndALaterOneIsDropped() throws Exception {
    Path dir = root.resolve("thing-1");
    Path first = Caches.staging(dir);
    Path second = Caches.staging(dir);
    Files.writeString(first.resolve("payload"), "first");
    Files.writeString(second.resolve("payload"), "second");
    assertThat(Caches.complete(dir)).isFalse();

    assertThat(Caches.publish(first, dir, "a")).isEqualTo(dir);
    assertThat(Caches.publish(second, dir, "b")).isEqualTo(dir);

    assertThat(Files.readString(dir.resolve("payload"))).isEqualTo("first");
    assertThat(Files.readString(dir.resolve("complete"))).isEqualTo("a\n");
    assertThat(Caches.complete(dir)).isTrue();
    try (var left = Files.list(root)) {
      assertThat(left).containsExactly(dir);
    }
  }

  @Test
  void anUnpublishedDirectoryIsReplaced() throws Exception {
    Path dir = root.resolve("thing-2");
    Files.createDirectories(dir.resolve("lib"));
    Files.writeString(dir.resolve("lib/half.jar"), "");
    Path staging = Caches.staging(dir);
    Files.writeString(staging.resolve("payload"), "whole");

    Caches.publish(staging, dir, "x");

    assertThat(dir.resolve("lib")).doesNotExist();
    assertThat(Files.readString(dir.resolve("payload"))).isEqualTo("whole");
    assertThat(Caches.complete(dir)).isTrue();
  }
}
