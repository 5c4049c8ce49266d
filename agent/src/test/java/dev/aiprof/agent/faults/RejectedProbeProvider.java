package dev.aiprof.agent.faults;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.bpf.BpfObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A collector whose probe the verifier rejects: it loads the BPF object at {@link #object} (built
 * by the test from C source that reads through an unchecked pointer). Tests only.
 */
final class RejectedProbeProvider implements CollectorProvider {
  static final String NAME = "rejected";
  static volatile Path object;

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Set<Role> roles() {
    return Set.of(Role.METRIC_SOURCE);
  }

  @Override
  public boolean enabledByDefault() {
    return false;
  }

  @Override
  public Collector create() {
    return new Collector() {
      private BpfObject obj;

      @Override
      public void start(CollectorContext context) throws Exception {
        obj = BpfObject.open(NAME, Files.readAllBytes(object));
        obj.load();
      }

      @Override
      public void close() {
        if (obj != null) {
          obj.close();
        }
      }
    };
  }
}
