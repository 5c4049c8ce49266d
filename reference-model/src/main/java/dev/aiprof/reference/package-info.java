/**
 * The reference inference service: a client process sends requests over HTTP to a server process
 * that tokenizes, embeds, retrieves and generates, traced with OpenTelemetry and marked with
 * libaiprof.so, so that aiprof observes it exactly as it observes a user's pod.
 */
package dev.aiprof.reference;
