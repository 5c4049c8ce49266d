/**
 * The blockio collector: the block I/O probe's per-workload, per-disk metrics, the block-I/O wait
 * of phases ({@link dev.aiprof.api.category.Category#BLOCK_IO_WAIT}) and the report's block I/O
 * section.
 */
package dev.aiprof.io.block;
