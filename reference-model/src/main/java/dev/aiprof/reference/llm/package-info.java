/**
 * The generator: a Llama-architecture GGUF model with synthetic weights written from a seed, its
 * tokenizer, the pure-Java engine and the llama.cpp engine behind {@link
 * dev.aiprof.reference.llm.Generator}.
 */
package dev.aiprof.reference.llm;
