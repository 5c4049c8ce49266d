package dev.aiprof.agent.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * A service-account bearer token kept in a file. Kubernetes rotates projected tokens by swapping
 * the file, so the token is read again whenever the file's modification time changes (one stat per
 * request) or after {@link #invalidate()} (a 401 answer). The token is never logged.
 *
 * <p>Thread-safe.
 */
final class TokenFile {
  private final Path path;
  private FileTime readAt;
  private String token;

  public TokenFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** The current token. */
  public synchronized String token() throws IOException {
    FileTime modified;
    try {
      modified = Files.getLastModifiedTime(path);
    } catch (NoSuchFileException e) {
      throw new IOException(
          "service-account token file "
              + path
              + " not found: mount a service-account token or set identity.token-file",
          e);
    }
    if (token == null || !modified.equals(readAt)) {
      String t = Files.readString(path).strip();
      if (t.isEmpty()) {
        throw new IOException("service-account token file " + path + " is empty");
      }
      token = t;
      readAt = modified;
    }
    return token;
  }

  /** Forgets the token so the next {@link #token()} reads the file again. */
  public synchronized void invalidate() {
    token = null;
  }
}
