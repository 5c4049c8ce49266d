/**
 * Custom programs: the user's bpftrace scripts run as supervised children, their maps as
 * OpenTelemetry metrics; BCC (JNA) where the host allows it.
 */
package dev.aiprof.custom;
