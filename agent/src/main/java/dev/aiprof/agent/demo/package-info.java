/** The built-in demo workload: a toy training job and a noisy neighbour, run as child processes. */
package dev.aiprof.agent.demo;
