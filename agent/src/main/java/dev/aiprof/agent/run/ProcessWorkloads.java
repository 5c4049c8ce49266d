package dev.aiprof.agent.run;

import dev.aiprof.api.HostPaths;
import dev.aiprof.pipeline.WorkloadLookup;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process's workload attributes from procfs: {@code process.pid} and {@code
 * process.executable.name}. The seam where pod identity ({@code k8s.*}, {@code container.*}) plugs
 * in. Remembers the last 4,096 processes. Thread-safe; never throws.
 */
public final class ProcessWorkloads implements WorkloadLookup {
  public static final AttributeKey<Long> PID = AttributeKey.longKey("process.pid");
  public static final AttributeKey<String> EXECUTABLE =
      AttributeKey.stringKey("process.executable.name");

  private final HostPaths paths;
  private final Map<Integer, Attributes> cache =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Attributes> e) {
          return size() > 4096;
        }
      };

  public ProcessWorkloads(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public synchronized Attributes resource(int pid) {
    return cache.computeIfAbsent(pid, this::read);
  }

  private Attributes read(int pid) {
    var b = Attributes.builder().put(PID, (long) pid);
    try {
      b.put(EXECUTABLE, Files.readString(paths.proc(Integer.toString(pid), "comm")).strip());
    } catch (IOException e) {
      // gone already: the pid is all we know
    }
    return b.build();
  }
}
