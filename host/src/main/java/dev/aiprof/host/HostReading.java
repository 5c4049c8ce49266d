package dev.aiprof.host;

import java.util.List;

/**
 * One reading of the host: what each file said at {@code nanos} (CLOCK_MONOTONIC), already filtered
 * and capped. A part that could not be read is null (its series are left out of that collection,
 * and counted as a failed read). Immutable.
 */
record HostReading(
    long nanos,
    CpuTimes cpu,
    Memory memory,
    Paging paging,
    List<DiskStats.Disk> disks,
    List<FileSystem> fileSystems,
    List<NetDev.Interface> interfaces,
    Over over) {

  /** This reading with the file systems of a newer pass (null: none yet). */
  HostReading withFileSystems(FileSystemReader.Result fs) {
    return new HostReading(
        nanos,
        cpu,
        memory,
        paging,
        disks,
        fs == null ? null : fs.fileSystems(),
        interfaces,
        new Over(over.disks(), fs == null ? 0 : fs.over(), over.interfaces()));
  }

  /** A mounted file system and its space. */
  record FileSystem(Mounts.Mount mount, StatFs.Space space) {}

  /** Series of each kind left out at its cap in this reading. */
  record Over(int disks, int fileSystems, int interfaces) {}
}
