/**
 * {@code aiprof profile}: run the scheduler collector for a window ({@link
 * dev.aiprof.agent.profile.Profiler}), gather a {@link dev.aiprof.agent.profile.ProfileResult} and
 * render it as text ({@link dev.aiprof.agent.profile.ProfileReport}, a pure function).
 */
package dev.aiprof.agent.profile;
