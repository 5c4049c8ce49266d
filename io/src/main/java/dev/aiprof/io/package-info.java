/**
 * Storage and network collectors: {@code blockio}, {@code fileio} and {@code net}, each a probe in
 * {@code bpf/} and a collector here with its phase signal.
 */
package dev.aiprof.io;
