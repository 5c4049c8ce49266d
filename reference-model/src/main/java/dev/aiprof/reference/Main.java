package dev.aiprof.reference;

import dev.aiprof.reference.client.ClientMain;
import dev.aiprof.reference.serve.ServerMain;

/**
 * {@code java -jar aiprof-reference.jar server|client [--flag value]...}: the reference service's
 * two processes. A bad flag exits 2 with the cause and the fix; a failure at run time exits 1.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    String role = args.length > 0 ? args[0] : "";
    try {
      switch (role) {
        case "server" -> ServerMain.run(args);
        case "client" -> ClientMain.run(args);
        default ->
            throw new Flags.BadFlag("usage: aiprof-reference server|client [--flag value]...");
      }
    } catch (Flags.BadFlag e) {
      System.err.println("aiprof-reference: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("aiprof-reference " + role + ": " + e);
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }
}
