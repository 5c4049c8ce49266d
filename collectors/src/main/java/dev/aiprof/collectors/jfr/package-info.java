/**
 * The JFR phase source: GC pauses, safepoints and user-declared phases of JVM workloads, read from
 * their Flight Recorder event streams ({@link dev.aiprof.collectors.jfr.JfrCollector}).
 *
 * <p>To mark a step of a Java workload, declare this event class (any package, any class name; the
 * event name is what counts) and wrap the step in {@code begin()}/{@code commit()}:
 *
 * <pre>{@code
 * @Name("aiprof.Phase")
 * @Label("Phase")
 * class PhaseEvent extends jdk.jfr.Event {
 *   @Label("Name")
 *   String name;
 * }
 *
 * PhaseEvent e = new PhaseEvent();
 * e.name = "decode";
 * e.begin();
 * decodeOneToken();
 * e.commit();
 * }</pre>
 *
 * The event costs nothing while no recording enables it. The collector's recording enables it
 * (without stack traces), and each commit becomes a phase on the committing thread (its OS thread
 * id) named by {@code name}.
 *
 * <p>How a JVM is streamed: {@code jcmd PID JFR.start} with only the events above, then the
 * target's disk repository read through {@code /proc/PID/root} ({@link
 * jdk.jfr.consumer.EventStream#openRepository}); if that fails, the attach API's local management
 * agent and a JMX {@code RemoteRecordingStream}. Events reach the listener about one to two seconds
 * after they are committed (the target flushes every {@code jfr.flush-interval}, the reader polls
 * every second).
 */
package dev.aiprof.collectors.jfr;
