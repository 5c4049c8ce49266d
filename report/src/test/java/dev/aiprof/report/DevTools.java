package dev.aiprof.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol, for tests that interact with a page: real
 * input events ({@code Input.dispatchMouseEvent}), script evaluation, and every console message and
 * uncaught exception as protocol events. The debugging port is chosen by Chromium (port 0) and
 * listens on loopback. One page; close() ends the browser.
 */
final class DevTools implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://([^/]+)/");

  private final Process browser;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  /** Console messages and exceptions, as "type: text". */
  final List<String> console = new CopyOnWriteArrayList<>();

  DevTools(Path profile) throws IOException, InterruptedException {
    browser =
        new ProcessBuilder(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--window-size=1400,1000",
                "about:blank")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String host = listening();
    HttpClient http = HttpClient.newHttpClient();
    JsonNode targets =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create("http://" + host + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    String ws = null;
    for (JsonNode t : targets) {
      if (t.path("type").asText().equals("page")) {
        ws = t.get("webSocketDebuggerUrl").asText();
      }
    }
    if (ws == null) {
      throw new AssertionError("no page target: " + targets);
    }
    socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new Listener()).join();
    call("Runtime.enable", JSON.createObjectNode());
    call("Page.enable", JSON.createObjectNode());
  }

  private String listening() throws IOException {
    BufferedReader err =
        new BufferedReader(new InputStreamReader(browser.getErrorStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    StringBuilder seen = new StringBuilder();
    for (String l = err.readLine(); l != null && System.nanoTime() < deadline; l = err.readLine()) {
      seen.append(l).append('\n');
      Matcher m = LISTENING.matcher(l);
      if (m.find()) {
        Thread.ofPlatform().daemon().start(() -> drain(err)); // keep its stderr from filling
        return m.group(1);
      }
    }
    throw new AssertionError("chromium printed no DevTools address:\n" + seen);
  }

  private static void drain(BufferedReader err) {
    try {
      while (err.readLine() != null) {
        // discarded: console messages come over the protocol
      }
    } catch (IOException e) {
      // the browser is gone
    }
  }

  JsonNode call(String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params);
    socket.sendText(msg.toString(), true).join();
    JsonNode r = f.orTimeout(30, TimeUnit.SECONDS).join();
    if (r.has("error")) {
      throw new AssertionError(method + ": " + r.get("error"));
    }
    return r.path("result");
  }

  /** Evaluates {@code js} in the page and returns its value (awaiting a promise). */
  JsonNode eval(String js) {
    JsonNode r =
        call(
            "Runtime.evaluate",
            JSON.createObjectNode()
                .put("expression", js)
                .put("returnByValue", true)
                .put("awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new AssertionError(js + ": " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  void open(Path page) {
    call(
        "Page.navigate",
        JSON.createObjectNode().put("url", page.toAbsolutePath().toUri().toString()));
  }

  /** Polls {@code js} until it is true, or fails after {@code seconds}. */
  void await(String js, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (eval("!!(" + js + ")").asBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not true within " + seconds + " s: " + js + "; console: " + console);
  }

  void mouse(String type, double x, double y, String button, int buttons, double deltaY) {
    ObjectNode p =
        JSON.createObjectNode()
            .put("type", type)
            .put("x", x)
            .put("y", y)
            .put("button", button)
            .put("buttons", buttons)
            .put("clickCount", type.equals("mouseMoved") || type.equals("mouseWheel") ? 0 : 1);
    if (type.equals("mouseWheel")) {
      p.put("deltaX", 0).put("deltaY", deltaY);
    }
    call("Input.dispatchMouseEvent", p);
  }

  @Override
  public void close() throws InterruptedException {
    socket.abort();
    browser.destroy();
    if (!browser.waitFor(10, TimeUnit.SECONDS)) {
      browser.destroyForcibly();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        handle(text.toString());
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    private void handle(String message) {
      try {
        JsonNode m = JSON.readTree(message);
        if (m.has("id")) {
          CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
          if (f != null) {
            f.complete(m);
          }
        } else if (m.path("method").asText().equals("Runtime.consoleAPICalled")) {
          console.add(m.get("params").get("type").asText() + ": " + m.get("params").get("args"));
        } else if (m.path("method").asText().equals("Runtime.exceptionThrown")) {
          console.add("exception: " + m.get("params").get("exceptionDetails"));
        }
      } catch (IOException e) {
        console.add("unreadable protocol message: " + message);
      }
    }
  }
}
