/**
 * Logging that cannot flood: {@link dev.aiprof.api.log.ThrottledLog} writes one line per cause per
 * interval and counts the rest, and the counts are exported as {@code aiprof.log.messages}.
 */
package dev.aiprof.api.log;
