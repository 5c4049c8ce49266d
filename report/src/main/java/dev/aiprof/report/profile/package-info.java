/**
 * The report's flame graphs: the profile collector's folded stacks ({@code profile.output-dir}, one
 * directory per window with its {@code profile.json} manifest) read into {@link
 * dev.aiprof.report.profile.FlameTree}s per phase name and kind (on-CPU, off-CPU), and {@link
 * dev.aiprof.report.profile.FlameDiff}s between two phases or two runs. Pure: files in, trees out.
 */
package dev.aiprof.report.profile;
