/**
 * Tests of the Grafana dashboards in {@code dashboards/}: house rules ({@code DashboardFilesTest}),
 * Grafana's published schema types and PromQL syntax through the npm checker in {@code
 * dashboards/check} ({@code DashboardSchemaIT}), and every panel query against a real Prometheus
 * that scraped the real agent under a workload in pod-like cgroups ({@code DashboardQueriesIT}).
 */
package dev.aiprof.agent.dashboards;
