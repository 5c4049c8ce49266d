/**
 * The bpftrace collector: the user's scripts ({@code bpftrace.dir}, {@code bpftrace.files}, {@code
 * bpftrace.inline}) run as supervised {@code bpftrace -f json} children killed with the agent; an
 * appended interval probe prints their maps, which become metrics {@code bpftrace.SCRIPT.MAP}.
 * Parsing ({@link dev.aiprof.custom.bpftrace.ScriptMaps}, {@link
 * dev.aiprof.custom.bpftrace.OutputParser}) is pure and apart from the process handling.
 */
package dev.aiprof.custom.bpftrace;
