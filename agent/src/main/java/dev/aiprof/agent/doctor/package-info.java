/** {@code aiprof doctor}: one {@link dev.aiprof.agent.doctor.Check} per host capability. */
package dev.aiprof.agent.doctor;
