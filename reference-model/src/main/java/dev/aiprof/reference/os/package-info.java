/** Thin FFM calls into libc for the reference service's threads: kernel thread ids, affinity. */
package dev.aiprof.reference.os;
