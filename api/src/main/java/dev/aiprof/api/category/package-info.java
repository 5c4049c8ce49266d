/**
 * The registry of time and amount categories ({@link dev.aiprof.api.category.Category}) that
 * signals describe phases with and that every output reads.
 */
package dev.aiprof.api.category;
