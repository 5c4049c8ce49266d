package dev.aiprof.custom.bcc;

/** A BCC C program was not loaded because this host cannot compile it correctly (no headers). */
public final class BccRefusedException extends BccException {
  public BccRefusedException(String message) {
    super(message);
  }
}
