/**
 * BCC through JNA ({@code libbcc.so.0}): USDT discovery ({@link dev.aiprof.custom.bcc.Bcc}, {@link
 * dev.aiprof.custom.bcc.JnaBcc}) and counting of the probes found with our own uprobe program
 * ({@link dev.aiprof.custom.bcc.UsdtCounter}); BCC C programs only where the running kernel's
 * headers exist ({@link dev.aiprof.custom.bcc.KernelHeaders}, {@link
 * dev.aiprof.custom.bcc.BccPrograms}), refused with the cause and fix elsewhere.
 */
package dev.aiprof.custom.bcc;
