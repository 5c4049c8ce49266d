/**
 * The systemd service protocol: {@link dev.aiprof.agent.systemd.ServiceNotifier} tells the service
 * manager READY=1 once the probes are attached, WATCHDOG=1 while the liveness {@link
 * dev.aiprof.api.health.HealthSource} is healthy and STOPPING=1 on the way out, over the datagram
 * socket named by {@code NOTIFY_SOCKET} ({@link dev.aiprof.agent.systemd.NotifySocket}, FFM: the
 * JDK's channels have no AF_UNIX datagrams).
 */
package dev.aiprof.agent.systemd;
