/**
 * The {@code host} collector: the host's CPU, memory, disks, file systems and network interfaces,
 * read through OSHI, as the OpenTelemetry {@code system.*} metrics.
 */
package dev.aiprof.host;
