/** The reference load client: HTTP requests on loopback, each the root span of one trace. */
package dev.aiprof.reference.client;
