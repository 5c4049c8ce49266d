/**
 * Symbolisation: {@link dev.aiprof.profiler.symbols.Kallsyms} for the kernel, JIT perf maps ({@link
 * dev.aiprof.profiler.symbols.PerfMap}), BCC's symboliser behind the narrow {@link
 * dev.aiprof.profiler.symbols.Bcc} interface ({@link dev.aiprof.profiler.symbols.JnaBcc} binds
 * libbcc.so.0), and the cached {@link dev.aiprof.profiler.symbols.Symbolizer} over them. Parsing is
 * pure and unit-tested; the native class is thin.
 */
package dev.aiprof.profiler.symbols;
