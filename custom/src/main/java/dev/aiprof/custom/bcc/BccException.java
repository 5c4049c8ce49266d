package dev.aiprof.custom.bcc;

/** BCC failed or refused to do something; the message names the cause and the fix. */
public class BccException extends RuntimeException {
  public BccException(String message) {
    super(message);
  }
}
