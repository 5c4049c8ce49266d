/**
 * The {@code aiprof} command line (picocli). Exit status 0 on success, 1 on a runtime failure, 2 on
 * a problem the user can fix (bad argument, missing privilege, unsupported host), always with a
 * one-line cause and fix.
 */
package dev.aiprof.agent.cli;
