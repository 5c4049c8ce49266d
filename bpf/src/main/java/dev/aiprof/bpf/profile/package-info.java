/**
 * The CPU-profile probe ({@code profile.bpf.c}, ABI in {@code profile.h}): CPU-clock samples with
 * user and kernel stacks on every CPU, and the stacks of followed threads' long off-CPU episodes.
 */
package dev.aiprof.bpf.profile;
