/**
 * The pure-Java Llama engine: weights read from a GGUF file into float arrays, RMSNorm, rotary
 * position embeddings (llama.cpp's adjacent-pair layout), grouped-query attention over a KV cache,
 * a SwiGLU feed-forward block and greedy argmax, with every matrix-vector product split over a
 * small pool of named threads. The decode loop allocates nothing.
 */
package dev.aiprof.reference.llm.engine;
