package dev.aiprof.collectors.otlp;

/** A request body that cannot be decoded; the message says why, for the sender (HTTP 400). */
final class BadBodyException extends Exception {
  BadBodyException(String message) {
    super(message);
  }
}
