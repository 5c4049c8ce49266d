/**
 * llama.cpp as the second engine, through {@code de.kherud:llama} (JNI) in a child JVM: {@link
 * dev.aiprof.reference.llm.llamacpp.LlamaCppChild} loads the model and answers a line protocol on
 * stdin/stdout; {@link dev.aiprof.reference.llm.llamacpp.LlamaCppGenerator} is the parent side. The
 * child exists because de.kherud's JVM does not exit after {@code LlamaModel.close()}.
 */
package dev.aiprof.reference.llm.llamacpp;
