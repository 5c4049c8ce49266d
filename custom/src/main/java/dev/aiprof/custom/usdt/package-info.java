/** The usdt collector: USDT probes named in the settings, counted per process. */
package dev.aiprof.custom.usdt;
