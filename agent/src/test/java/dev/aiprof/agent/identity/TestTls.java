package dev.aiprof.agent.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Self-signed serving certificates made at test time with the JDK's keytool, once per JVM: one for
 * 127.0.0.1 (the test servers), and an unrelated one to play a wrong CA.
 */
public final class TestTls {
  private static final String PASS = "changeit";
  private static Path dir;

  private TestTls() {}

  /** The server's certificate in PEM: what a client configures as its CA file. */
  public static synchronized Path caFile() {
    return dir().resolve("server.crt");
  }

  /** A certificate that did not sign the server's. */
  static synchronized Path otherCaFile() {
    return dir().resolve("other.crt");
  }

  /** The server side: key and certificate for 127.0.0.1. */
  static synchronized SSLContext serverContext() {
    try (InputStream in = Files.newInputStream(dir().resolve("server.p12"))) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASS.toCharArray());
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASS.toCharArray());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path dir() {
    if (dir == null) {
      try {
        Path d = Files.createTempDirectory("aiprof-tls");
        d.toFile().deleteOnExit();
        make(d, "server", "ip:127.0.0.1");
        make(d, "other", "ip:127.0.0.1");
        dir = d;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  private static void make(Path d, String name, String san) {
    Path ks = d.resolve(name + ".p12");
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-ext",
        "SAN=" + san,
        "-validity",
        "2",
        "-keystore",
        ks.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASS,
        "-keypass",
        PASS,
        "-noprompt");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        name,
        "-keystore",
        ks.toString(),
        "-storepass",
        PASS,
        "-file",
        d.resolve(name + ".crt").toString());
    ks.toFile().deleteOnExit();
    d.resolve(name + ".crt").toFile().deleteOnExit();
  }

  private static void keytool(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
