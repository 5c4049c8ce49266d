package dev.aiprof.agent.compose;

import dev.aiprof.agent.correlation.PhaseMetricsSettings;
import dev.aiprof.agent.identity.IdentitySettings;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.SettingsCatalog;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.List;

/**
 * Every key the agent knows: the collectors' (each provider's), the pipeline's ({@code
 * correlation.*}, {@code follow.*}), the host's ({@code probes.*}), identity's ({@code identity.*})
 * and the phase metrics' ({@code metrics.*}). The one table the command line, the config file,
 * {@code --help} and the README read. Stateless.
 */
public final class AgentSettings {
  private AgentSettings() {}

  public static SettingsCatalog catalog(CollectorCatalog collectors) {
    List<Setting<?>> all = new ArrayList<>(collectors.settings());
    all.addAll(Pipeline.settingKeys());
    all.addAll(AgentHost.SETTINGS);
    all.addAll(IdentitySettings.ALL);
    all.addAll(PhaseMetricsSettings.ALL);
    all.addAll(dev.aiprof.agent.config.RunSettings.ALL);
    return SettingsCatalog.of(all);
  }
}
