/**
 * The reference inference server: HTTP on loopback, a bounded request queue, named inference
 * workers that tokenize, embed, retrieve and generate, the GenAI metrics and the injected loads.
 */
package dev.aiprof.reference.serve;
