package dev.aiprof.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A workload whose phases the test steps through: for each NAME argument it marks a phase through
 * libaiprof.so, prints {@code in NAME} and ends the phase at the next {@code next} line on stdin.
 * Usage: {@code SteppedPhases MARKER_LIB NAME...}; prints {@code ready}, starts on {@code go},
 * prints {@code done} at the end. The test changes the world (a fake device's script) between.
 */
public final class SteppedPhases {
  private SteppedPhases() {}

  public static void main(String[] args) throws Exception {
    try (PhaseMarks m = PhaseMarks.marker(Path.of(args[0]))) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      System.out.println("ready");
      System.out.flush();
      if (!Contention.awaitLine(in, "go")) {
        return;
      }
      for (int i = 1; i < args.length; i++) {
        m.begin(args[i]);
        System.out.println("in " + args[i]);
        System.out.flush();
        boolean next = Contention.awaitLine(in, "next");
        m.end();
        if (!next) {
          return;
        }
      }
    }
    System.out.println("done");
    System.out.flush();
  }
}
