package dev.aiprof.api.log;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A logger that writes at most one line per cause per interval (default one minute) and counts the
 * rest; the next line of a cause says how many were suppressed. A line carries the exception's root
 * cause as text, never a stack trace (unless the logger is at DEBUG). Causes are short fixed names
 * chosen by the code ({@code otlp.http.failed}, {@code grpc.transport}), never values from outside,
 * so the {@link #report counters} stay bounded; past {@value #MAX_CAUSES} causes, new ones are
 * counted under {@code other}.
 *
 * <p>Thread-safe; the counters are process-wide (as loggers are) and reported by the exporters as
 * {@code aiprof.log.messages{aiprof.log.cause, aiprof.log.outcome=logged|suppressed}}.
 */
public final class ThrottledLog {
  /** Counted lines, by cause and outcome. */
  public static final MetricId MESSAGES =
      MetricId.counter(
          "aiprof.log.messages",
          "Log lines by cause and outcome: logged, or suppressed by the once-per-interval throttle",
          "{message}");

  public static final AttributeKey<String> CAUSE = AttributeKey.stringKey("aiprof.log.cause");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("aiprof.log.outcome");

  static final int MAX_CAUSES = 256;
  private static final Map<String, Cause> CAUSES = new ConcurrentHashMap<>();

  private final System.Logger logger;
  private final long intervalNanos;
  private final LongSupplier nanoTime;

  ThrottledLog(System.Logger logger, Duration interval, LongSupplier nanoTime) {
    this.logger = logger;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /** A throttled logger named after {@code owner}, one line per cause per minute. */
  public static ThrottledLog of(Class<?> owner) {
    return new ThrottledLog(
        System.getLogger(owner.getName()), Duration.ofMinutes(1), System::nanoTime);
  }

  /** Logs {@code message} unless a line of this cause was written within the interval. */
  public void log(Level level, String cause, String message) {
    log(level, cause, message, null);
  }

  /**
   * Logs {@code message} and the root cause of {@code thrown} (as text) unless a line of this cause
   * was written within the interval.
   *
   * @return whether the line was written
   */
  public boolean log(Level level, String cause, String message, Throwable thrown) {
    Cause c = cause(cause);
    long suppressed = c.tryLog(nanoTime.getAsLong(), intervalNanos);
    if (suppressed < 0) {
      return false;
    }
    StringBuilder line = new StringBuilder(message);
    if (thrown != null) {
      line.append(" (").append(rootCause(thrown)).append(')');
    }
    if (suppressed > 0) {
      line.append(" [").append(suppressed).append(" more like this suppressed]");
    }
    if (thrown != null && logger.isLoggable(Level.DEBUG)) {
      logger.log(level, line.toString(), thrown);
    } else {
      logger.log(level, line.toString());
    }
    return true;
  }

  /** The innermost cause as {@code Class: message}, one line. */
  public static String rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    String text = m == null ? root.getClass().getName() : root.getClass().getName() + ": " + m;
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /** Reports every cause's logged and suppressed totals. */
  public static void report(MetricSink sink) {
    CAUSES.forEach(
        (name, c) -> {
          sink.counter(MESSAGES, Attributes.of(CAUSE, name, OUTCOME, "logged"), c.logged());
          sink.counter(MESSAGES, Attributes.of(CAUSE, name, OUTCOME, "suppressed"), c.dropped());
        });
  }

  /** Lines of {@code cause} suppressed so far (tests, summaries). */
  public static long suppressed(String cause) {
    Cause c = CAUSES.get(cause);
    return c == null ? 0 : c.dropped();
  }

  /** Lines of {@code cause} written so far. */
  public static long logged(String cause) {
    Cause c = CAUSES.get(cause);
    return c == null ? 0 : c.logged();
  }

  private static Cause cause(String name) {
    Cause c = CAUSES.get(name);
    if (c != null) {
      return c;
    }
    if (CAUSES.size() >= MAX_CAUSES) {
      return CAUSES.computeIfAbsent("other", k -> new Cause());
    }
    return CAUSES.computeIfAbsent(name, k -> new Cause());
  }
}
