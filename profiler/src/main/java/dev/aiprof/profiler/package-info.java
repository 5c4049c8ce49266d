/**
 * The {@code profile} collector: on-CPU samples and off-CPU stacks from the profile probe, kept per
 * thread for phases ({@code ProfileSignal}: top functions and off-CPU events on each phase's span),
 * counted per stack for the window ({@code ProfileReport}: the CPU section of {@code aiprof
 * profile}, folded and pprof files).
 */
package dev.aiprof.profiler;
