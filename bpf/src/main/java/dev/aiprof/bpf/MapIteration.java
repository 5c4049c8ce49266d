package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The two ways {@link BpfMap#forEach} walks a map: batch lookups, or key by key. */
final class MapIteration {
  private MapIteration() {}

  static int batches(BpfMap map, int batchSize, BpfMap.EntryConsumer consumer) {
    long keySize = map.keySize();
    long valueSize = map.valueBufferSize();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment tokenIn = arena.allocate(Math.max(keySize, 8), 8);
      MemorySegment tokenOut = arena.allocate(Math.max(keySize, 8), 8);
      MemorySegment count = arena.allocate(JAVA_INT);
      MemorySegment opts = arena.allocate(24, 8);
      opts.set(JAVA_LONG, 0, 24);
      boolean first = true;
      int size = batchSize;
      int visited = 0;
      while (true) {
        try (Arena batch = Arena.ofConfined()) {
          MemorySegment keys = batch.allocate(keySize * size, 8);
          MemorySegment values = batch.allocate(valueSize * size, 8);
          count.set(JAVA_INT, 0, size);
          MemorySegment from = first ? MemorySegment.NULL : tokenIn;
          int rc =
              map.fdCall(
                  () ->
                      (int)
                          LibBpf.MAP_LOOKUP_BATCH.invokeExact(
                              map.fd(), from, tokenOut, keys, values, count, opts));
          int n = count.get(JAVA_INT, 0);
          if (rc == -Errno.ENOSPC && n == 0) {
            size *= 2; // one hash bucket holds more than a batch: retry bigger
            continue;
          }
          if (rc < 0 && rc != -Errno.ENOENT) {
            throw new BpfException("batch lookup in map " + map.name(), -rc);
          }
          for (int i = 0; i < n; i++) {
            consumer.accept(
                keys.asSlice(i * keySize, keySize), values.asSlice(i * valueSize, valueSize));
          }
          visited += n;
          if (rc == -Errno.ENOENT) {
            return visited;
          }
          tokenIn.copyFrom(tokenOut);
          first = false;
        }
      }
    }
  }

  static int keyByKey(BpfMap map, BpfMap.EntryConsumer consumer) {
    long keySize = map.keySize();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment key = arena.allocate(keySize, 8);
      MemorySegment next = arena.allocate(keySize, 8);
      MemorySegment value = arena.allocate(map.valueBufferSize(), 8);
      MemorySegment current = MemorySegment.NULL;
      int visited = 0;
      while (map.nextKey(current, next)) {
        key.copyFrom(next);
        current = key;
        if (map.lookup(key, value)) {
          consumer.accept(key, value);
          visited++;
        }
      }
      return visited;
    }
  }
}
