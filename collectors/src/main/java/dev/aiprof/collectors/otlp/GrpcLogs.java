package dev.aiprof.collectors.otlp;

import dev.aiprof.api.log.ThrottledLog;
import java.lang.System.Logger.Level;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * gRPC's and its shaded Netty's own log records ({@code io.grpc.*}, one stack trace per failed call
 * by default: 1,000 malformed calls once wrote 25,000 lines) routed through a {@link ThrottledLog}:
 * one line per logger and level per minute, the root cause as text, the rest counted. Installed
 * once per process when the gRPC receiver starts; thread-safe.
 */
final class GrpcLogs {
  /** Held strongly: JUL keeps loggers only weakly, and would forget the configuration. */
  private static final Logger GRPC = Logger.getLogger("io.grpc");

  private static final ThrottledLog LOG = ThrottledLog.of(GrpcReceiver.class);
  private static boolean installed;

  private GrpcLogs() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    GRPC.setUseParentHandlers(false);
    GRPC.addHandler(new Throttling());
  }

  private static final class Throttling extends Handler {
    private final SimpleFormatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord r) {
      String logger = r.getLoggerName() == null ? "io.grpc" : r.getLoggerName();
      Level level = level(r.getLevel());
      String cause = "grpc." + logger.substring(logger.lastIndexOf('.') + 1) + "." + level;
      LOG.log(level, cause, "gRPC: " + formatter.formatMessage(r), r.getThrown());
    }

    private static Level level(java.util.logging.Level l) {
      int v = l.intValue();
      if (v >= java.util.logging.Level.SEVERE.intValue()) {
        return Level.ERROR;
      }
      if (v >= java.util.logging.Level.WARNING.intValue()) {
        return Level.WARNING;
      }
      return v >= java.util.logging.Level.INFO.intValue() ? Level.INFO : Level.DEBUG;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
