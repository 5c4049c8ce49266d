package dev.aiprof.agent.dashboards;

import dev.aiprof.agent.NpmProject;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the npm checker of {@code dashboards/check} (Grafana's schema types through {@code tsc
 * --strict}, PromQL syntax through {@code @prometheus-io/lezer-promql}) from a copy in the build
 * directory ({@link NpmProject}). Not thread-safe (one copy per build directory).
 */
final class DashboardChecker {
  /** The checker's exit status and output. */
  record Result(int status, String output) {}

  private final NpmProject project;

  private DashboardChecker(NpmProject project) {
    this.project = project;
  }

  /** Copies the checker into the build directory and installs its packages if needed. */
  static DashboardChecker install() {
    return new DashboardChecker(
        NpmProject.install(Dashboard.directory().resolve("check"), "dashboard-check"));
  }

  /** Runs {@code node check.mjs FILES...}. */
  Result check(List<Path> files) {
    NpmProject.Result r = project.node("check.mjs", files);
    return new Result(r.status(), r.output());
  }
}
