/**
 * Tests of {@code deploy/kubernetes/} and {@code deploy/helm/aiprof/}: the chart through Helm's own
 * lint and template (helm-java), every manifest against the Kubernetes schemas (npm {@code
 * kubernetes-models}), and the agent run with the DaemonSet's own arguments and mounts.
 */
package dev.aiprof.agent.deploy;
