package dev.aiprof.custom.bpftrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptMapsTest {
  @Test
  void findsAssignedMapsWithKeysAndAggregations() {
    String script =
        """
        // @commented[pid] = count();
        tracepoint:syscalls:sys_enter_openat /@start[tid] == 0/ {
          @start[tid] = nsecs;
          @calls[cgroup, comm] = count();
          @lat = hist(nsecs - @start[tid]);
          @by[pid, str(args->filename, 16)] = sum(1);
          @++;
          @s = stats(args->flags);
          printf("@fake[x] = count()\\n");
          if (@start[tid] == 1) { @x += 2; }
        }
        """;
    List<MapDecl> maps = ScriptMaps.of(script);
    assertThat(maps)
        .containsExactly(
            new MapDecl("start", List.of("tid"), ""),
            new MapDecl("calls", List.of("cgroup", "comm"), "count"),
            new MapDecl("lat", List.of(), "hist"),
            new MapDecl("by", List.of("pid", "str(args->filename, 16)"), "sum"),
            new MapDecl("", List.of(), "count"),
            new MapDecl("s", List.of(), "stats"),
            new MapDecl("x", List.of(), "sum"));
    assertThat(maps.get(1).kind()).isEqualTo(MapKind.COUNTER);
    assertThat(maps.get(2).kind()).isEqualTo(MapKind.HISTOGRAM);
    assertThat(maps.get(0).kind()).isEqualTo(MapKind.GAUGE);
    assertThat(maps.get(5).kind()).isEqualTo(MapKind.STATS);
  }

  @Test
  void appendsAPrintOfEveryDeclaredMap() {
    Script s = Script.of("t", "test", "kprobe:x { @a[pid] = count(); @ = count(); }");
    assertThat(s.withPrints(java.time.Duration.ofSeconds(2)))
        .startsWith("kprobe:x { @a[pid] = count(); @ = count(); }\n")
        .endsWith("interval:ms:2000 { print(@a); print(@); }\n");
    assertThat(
            Script.of("t", "test", "BEGIN { printf(\"hi\"); }")
                .withPrints(java.time.Duration.ofSeconds(1)))
        .isEqualTo("BEGIN { printf(\"hi\"); }");
  }

  @Test
  void leavesScratchMapsOut() {
    Script s =
        Script.of("t", "test", "t:x { @_start[tid] = nsecs; @lat = hist(nsecs - @_start[tid]); }");
    assertThat(s.maps()).extracting(MapDecl::name).containsExactly("lat");
  }

  @Test
  void namesScriptsSafely() {
    assertThat(Script.nameOf("Syscalls-Per.Cgroup")).isEqualTo("syscalls_per_cgroup");
    assertThat(Script.nameOf("1st")).isEqualTo("s_1st");
  }
}
