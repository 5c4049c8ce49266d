/**
 * The file-I/O probe ({@code fileio.bpf.c}): reads and writes of regular files and block devices
 * per process and workload, page-cache misses by cause, major faults, per-thread time slots of
 * followed processes and slow reads as events. {@link dev.aiprof.bpf.fileio.FileIoProbe} loads and
 * attaches it; the records decode without privileges.
 */
package dev.aiprof.bpf.fileio;
