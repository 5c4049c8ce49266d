package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExpiringLruTest {
  final AtomicLong now = new AtomicLong();
  final ExpiringLru<String, String> lru = new ExpiringLru<>(2, now::get);

  @Test
  void evictsTheLeastRecentlyUsed() {
    lru.put("a", "1", 100);
    lru.put("b", "2", 100);
    assertThat(lru.get("a")).isEqualTo("1");
    lru.put("c", "3", 100);
    assertThat(lru.get("b")).isNull();
    assertThat(lru.get("a")).isEqualTo("1");
    assertThat(lru.get("c")).isEqualTo("3");
  }

  @Test
  void expires() {
    lru.put("a", "1", 100);
    now.set(99);
    assertThat(lru.get("a")).isEqualTo("1");
    now.set(100);
    assertThat(lru.get("a")).isNull();
    assertThat(lru.size()).isZero();
  }

  @Test
  void conditionalRemoveAndExpiringCopy() {
    lru.put("a", "1", 100);
    lru.put("b", "2", 10);
    now.set(50);
    assertThat(lru.expireAndCopy()).containsOnlyKeys("a");
    lru.remove("a", "other");
    assertThat(lru.get("a")).isEqualTo("1");
    lru.remove("a", lru.get("a"));
    assertThat(lru.size()).isZero();
  }
}
