package dev.aiprof.agent.cli;

/**
 * A problem the user can fix: a bad argument, a missing privilege, a missing file. The CLI prints
 * its message on one line and exits with status 2.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
