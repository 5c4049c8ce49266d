/**
 * The block I/O probe: block requests from start to completion, per workload, disk, direction and
 * origin ({@link dev.aiprof.bpf.blockio.BlockIoProbe}), with its ABI mirror and pure decoders.
 */
package dev.aiprof.bpf.blockio;
