package dev.aiprof.testing.backends;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DebianSourcesTest {
  private static final String BOOKWORM =
      """
      Types: deb
      # a comment
      URIs: http://mirror.example/debian
      Suites: bookworm bookworm-updates
      Components: main
      Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

      Types: deb
      URIs: http://mirror.example/debian-security
      Suites: bookworm-security
      Components: main
      Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

      Types: deb
      URIs: http://mirror.example/debian
      Suites: bookworm-backports
      Components: main
      """;

  @Test
  void theHostsMirrorsServeTheOtherRelease() {
    assertThat(DebianSources.rewrite(BOOKWORM, "bookworm", "trixie"))
        .isEqualTo(
            """
            Types: deb
            # a comment
            URIs: http://mirror.example/debian
            Suites: trixie
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            Types: deb
            URIs: http://mirror.example/debian-security
            Suites: trixie-security
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
            """);
  }

  @Test
  void sourcesOfAnotherReleaseOrDistributionGiveNothing() {
    assertThat(
            DebianSources.rewrite(
                "Types: deb\nURIs: http://x/ubuntu\nSuites: noble\n", "bookworm", "trixie"))
        .isEmpty();
    assertThat(DebianSources.rewrite("", "bookworm", "trixie")).isEmpty();
  }

  @Test
  void theCodenameFromOsRelease() {
    assertThat(DebianSources.codename("ID=debian\nVERSION_CODENAME=bookworm\n"))
        .isEqualTo("bookworm");
    assertThat(DebianSources.codename("ID=debian\nVERSION_CODENAME=\"trixie\"\n"))
        .isEqualTo("trixie");
    assertThat(DebianSources.codename("ID=debian\n")).isNull();
  }
}
