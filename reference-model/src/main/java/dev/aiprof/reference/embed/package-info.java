/** The embed and retrieve steps: all-MiniLM-L6-v2 on ONNX Runtime and cosine search. */
package dev.aiprof.reference.embed;
