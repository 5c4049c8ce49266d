/**
 * GGUF version 3, our own reader and writer: the header (magic, version, tensor and metadata
 * counts), typed metadata values including arrays, tensor infos, the aligned data section. Only the
 * tensor types the reference model uses ({@link dev.aiprof.reference.llm.gguf.GgmlType#F32}, {@link
 * dev.aiprof.reference.llm.gguf.GgmlType#F16}) are decoded; others are read as infos.
 */
package dev.aiprof.reference.llm.gguf;
