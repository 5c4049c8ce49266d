package dev.aiprof.host;

import dev.aiprof.api.settings.Setting;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The host collector's settings: every key it reads, with its default and bounds. */
public final class HostSettings {
  public static final Setting<Duration> INTERVAL =
      Setting.duration(
          "host.interval",
          Duration.ofSeconds(10),
          Duration.ofSeconds(1),
          Duration.ofMinutes(10),
          "how often the host's CPU, memory, disks, file systems and interfaces are read (the"
              + " metrics report the latest reading; utilisation is over this interval)");

  public static final Setting<String> EXCLUDE_DEVICES =
      regex(
          "host.exclude-devices",
          "(loop|ram|zram|fd|sr|nbd)\\d+",
          "block devices left out (a regular expression matching the whole name); partitions are"
              + " always left out (only /sys/block's whole disks are reported)");

  public static final Setting<String> EXCLUDE_INTERFACES =
      regex(
          "host.exclude-interfaces",
          "(veth|cali|lxc|cilium_|flannel|cni|docker|br-|virbr|vxlan|genev|ifb).*",
          "network interfaces left out (a regular expression matching the whole name): container"
              + " and bridge plumbing by default");

  public static final Setting<String> EXCLUDE_MOUNT_POINTS =
      regex(
          "host.exclude-mount-points",
          "/(dev|proc|sys|run/credentials|var/lib/docker|var/lib/containers|var/lib/kubelet"
              + "|run/containerd|run/k3s|snap)(/.*)?",
          "mount points left out (a regular expression matching the whole path)");

  public static final Setting<String> EXCLUDE_FS_TYPES =
      Setting.text(
          "host.exclude-filesystem-types",
          "autofs,binfmt_misc,bpf,cgroup,cgroup2,configfs,debugfs,devpts,devtmpfs,efivarfs,fusectl,"
              + "hugetlbfs,mqueue,nsfs,overlay,proc,pstore,ramfs,rpc_pipefs,securityfs,selinuxfs,"
              + "squashfs,sysfs,tracefs",
          "file system types left out (comma-separated): pseudo and overlay file systems");

  public static final Setting<Integer> MAX_DEVICES =
      Setting.integer(
          "host.max-devices", 64, 1, 4096, "block devices reported; more are left out (counted)");
  public static final Setting<Integer> MAX_INTERFACES =
      Setting.integer(
          "host.max-interfaces",
          64,
          1,
          4096,
          "network interfaces reported; more are left out (counted)");
  public static final Setting<Integer> MAX_FILESYSTEMS =
      Setting.integer(
          "host.max-filesystems",
          64,
          1,
          4096,
          "file systems reported; more are left out (counted)");

  public static final Setting<String> NETWORK_NAMESPACE =
      Setting.choice(
          "host.network-namespace",
          "init",
          "whose network interfaces: init (PID 1's namespace: the host's, also from a container"
              + " with hostPID) or self (the agent's own)",
          "init",
          "self");

  static final List<Setting<?>> ALL =
      List.of(
          INTERVAL,
          EXCLUDE_DEVICES,
          EXCLUDE_INTERFACES,
          EXCLUDE_MOUNT_POINTS,
          EXCLUDE_FS_TYPES,
          MAX_DEVICES,
          MAX_INTERFACES,
          MAX_FILESYSTEMS,
          NETWORK_NAMESPACE);

  private HostSettings() {}

  static Pattern pattern(String regex) {
    return regex.isEmpty() ? null : Pattern.compile(regex);
  }

  static Set<String> types(String list) {
    Set<String> s = new java.util.HashSet<>();
    for (String t : list.split(",")) {
      if (!t.isBlank()) {
        s.add(t.strip());
      }
    }
    return Set.copyOf(s);
  }

  private static Setting<String> regex(String key, String def, String description) {
    return Setting.of(
        key,
        HostSettings::checkRegex,
        v -> v,
        "a regular expression (empty: none)",
        def,
        description);
  }

  private static String checkRegex(String key, String text) {
    try {
      Pattern.compile(text);
      return text;
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "invalid "
              + key
              + " '"
              + text
              + "': not a regular expression ("
              + e.getDescription()
              + "); give a Java regular expression matching whole names, or empty for none");
    }
  }
}
