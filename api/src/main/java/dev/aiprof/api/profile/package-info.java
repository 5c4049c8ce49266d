/**
 * Stack samples: the data path from samplers and off-CPU probes to reports (flame graphs per
 * phase).
 */
package dev.aiprof.api.profile;
