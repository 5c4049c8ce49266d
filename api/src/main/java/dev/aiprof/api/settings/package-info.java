/**
 * Strict configuration: every key is declared ({@link dev.aiprof.api.settings.Setting}) by the part
 * that reads it, and user values are validated against the whole catalog before anything starts.
 */
package dev.aiprof.api.settings;
