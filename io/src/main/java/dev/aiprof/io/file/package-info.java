/**
 * The {@code fileio} collector: reads and writes of regular files and block devices, page-cache
 * misses and major faults per workload (metrics), per phase (a signal filling {@link
 * dev.aiprof.api.category.Category#BYTES_READ}, {@code BYTES_WRITTEN}, {@code PAGE_CACHE_MISSES},
 * {@code MAJOR_FAULTS}) and per process over a report window, from the {@link
 * dev.aiprof.bpf.fileio.FileIoProbe}.
 */
package dev.aiprof.io.file;
