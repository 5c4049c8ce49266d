/**
 * The {@code host} collector: the host's CPU, memory, swap, disks, file systems and network
 * interfaces as the OpenTelemetry {@code system.*} metrics. The files under {@code --procfs} and
 * {@code --sysfs} are read by {@link dev.aiprof.host.HostReader} and decoded by pure parsers
 * ({@link dev.aiprof.host.CpuTimes}, {@link dev.aiprof.host.Memory}, {@link
 * dev.aiprof.host.Paging}, {@link dev.aiprof.host.DiskStats}, {@link dev.aiprof.host.Mounts},
 * {@link dev.aiprof.host.NetDev}); OSHI, pointed at the same tree, gives the processor inventory
 * ({@link dev.aiprof.host.OshiInventory}); {@link dev.aiprof.host.HostExport} turns readings into
 * series.
 */
package dev.aiprof.host;
