/**
 * The tokenizer stored in the model file: a SentencePiece-style vocabulary ({@code
 * tokenizer.ggml.model=llama}: pieces with scores, byte fallback) that our own code builds from a
 * small embedded English text, and a tokenizer that segments exactly as llama.cpp's SPM tokenizer
 * does (highest-scoring adjacent merge first, ties to the left; unknown characters as UTF-8 bytes).
 */
package dev.aiprof.reference.llm.tokenizer;
