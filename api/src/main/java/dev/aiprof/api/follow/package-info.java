/**
 * Following processes: the agent's follow service ({@link dev.aiprof.api.follow.Follows}) decides
 * which processes are followed and tells the {@link dev.aiprof.api.follow.ProcessFollower}s;
 * processes are identified by {@link dev.aiprof.api.follow.ProcessKey} (pid and start time).
 */
package dev.aiprof.api.follow;
