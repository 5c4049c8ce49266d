/** The scheduler collector: the sched BPF probe as metrics and off-CPU episode listeners. */
package dev.aiprof.collectors.sched;
