package dev.aiprof.profiler.symbols;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A hand-written {@link Bcc}: per pid, functions (start → name, size) inside modules (start → path,
 * size), and a count of every call, so tests see what the symboliser asked.
 */
final class FakeBcc implements Bcc {
  private record Fn(String name, long size) {}

  private final Map<Integer, NavigableMap<Long, Fn>> functions = new HashMap<>();

  private record Module(String path, long size) {}

  private final Map<Integer, NavigableMap<Long, Module>> modules = new HashMap<>();
  private final Map<Long, Integer> caches = new HashMap<>();
  final List<Integer> created = new ArrayList<>();
  final List<Integer> freed = new ArrayList<>();
  int resolves;

  FakeBcc module(int pid, long start, long size, String path) {
    modules.computeIfAbsent(pid, p -> new TreeMap<>()).put(start, new Module(path, size));
    return this;
  }

  FakeBcc function(int pid, long start, long size, String name) {
    functions.computeIfAbsent(pid, p -> new TreeMap<>()).put(start, new Fn(name, size));
    return this;
  }

  @Override
  public long newCache(int pid) {
    long handle = 0x1000L + created.size();
    created.add(pid);
    caches.put(handle, pid);
    return handle;
  }

  @Override
  public Symbol resolve(long cache, long address) {
    resolves++;
    int pid = caches.get(cache);
    Map.Entry<Long, Module> m = modules.getOrDefault(pid, new TreeMap<>()).floorEntry(address);
    if (m == null || address >= m.getKey() + m.getValue().size()) {
      return null;
    }
    Map.Entry<Long, Fn> f = functions.getOrDefault(pid, new TreeMap<>()).floorEntry(address);
    if (f != null && address < f.getKey() + f.getValue().size()) {
      return new Symbol(f.getValue().name(), m.getValue().path(), address - f.getKey());
    }
    return new Symbol(null, m.getValue().path(), address - m.getKey());
  }

  @Override
  public void freeCache(long cache, int pid) {
    caches.remove(cache);
    freed.add(pid);
  }
}
