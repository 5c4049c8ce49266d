/**
 * Which BPF programs a process holds ({@link dev.aiprof.custom.programs.ProcessPrograms}), for the
 * cost of bpftrace's programs and {@code aiprof probes}.
 */
package dev.aiprof.custom.programs;
