package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's dev command on a copy of the repository, edited as a developer edits it: a route's
 * handler, a webroot file, a broken save and its fix. The old code answers until the new code does,
 * and a login from before every edit still works after it.
 */
class DevLoopIT {

  private static final String HANDLER = "src/main/java/com/example/starter/http/HttpRouter.java";
  private static final String GREETINGS =
      "src/main/java/com/example/starter/greetings/Greetings.java";
  private static final Pattern WS_PORT = Pattern.compile("websockets on ws:\\S*?:(\\d+)");
  private static final Pattern COMPILE_ERROR =
      Pattern.compile("Compile error[^\\n]*\\n(src/main/java/\\S+\\.java:\\d+: [^\\n]+)");

  /**
   * From a save to the new code's first answer: the benchmark holds it to 2 s ({@code
   * bench/reload.sh}); this leaves room for a busy CI machine.
   */
  private static final Duration RELOADED_WITHIN = Duration.ofSeconds(15);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path copy;

  @Test
  void aSavedEditServesAtOnceAndABrokenOneLeavesTheLastGoodCodeServing() throws Exception {
    RepositoryCopy repository = RepositoryCopy.into(copy);
    try (JarProcess dev =
        JarProcess.run(
            List.of("./mvnw", "-B", "-q", "compile", "exec:java"),
            Map.of("HTTP_PORT", "0", "WS_PORT", "0"),
            copy,
            copy.resolve("logs"))) {
      String http = "http://127.0.0.1:" + dev.httpPort(Duration.ofMinutes(5));
      int wsPort = Integer.parseInt(dev.awaitLine(WS_PORT, Duration.ofSeconds(5)));
      assertThat(get(http + "/hello").body()).isEqualTo("Hello, world");
      String cookie = loggedIn(http);
      CompletableFuture<Integer> echoClosed = echoSocketClosing(wsPort);

      // A role's verticle, which Vert.x deploys by class name, reloads with the rest.
      Path greetings = repository.resolve(GREETINGS);
      Files.writeString(
          greetings, Files.readString(greetings).replace("\"Hello, \" + name", "\"Hi, \" + name"));
      long reloaded = saveAndAwait(repository, http, "Hello, world", "Hello, reloaded");
      await("the greetings role's new answer")
          .atMost(RELOADED_WITHIN)
          .until(() -> get(http + "/api/greetings?name=Ada").body().contains("Hi, Ada!"));
      assertThat(Duration.ofNanos(reloaded)).isLessThan(RELOADED_WITHIN);
      assertThat(me(http, cookie)).as("a login from before the reload").isEqualTo(200);
      assertThat(echoClosed.get(10, TimeUnit.SECONDS))
          .as("a websocket of the code before, closed so that the page reconnects")
          .isEqualTo(1001);
      assertThat(dev.output()).contains("; reloaded in ");

      Path css = repository.resolve("src/main/resources/webroot/app.css");
      Files.writeString(css, Files.readString(css) + "\n/* saved just now */\n");
      assertThat(get(http + "/app.css").body())
          .as("a webroot file, served as saved by the first request after the save")
          .endsWith("/* saved just now */\n");

      edit(
          repository, source -> source.replace("end(\"Hello, reloaded\")", "end(\"Hello,\" oops)"));
      String error = dev.awaitLine(COMPILE_ERROR, RELOADED_WITHIN);
      assertThat(error).startsWith(HANDLER + ":");
      assertThat(get(http + "/hello").body()).isEqualTo("Hello, reloaded");
      assertThat(get(http + "/").body())
          .as("the demo page, while the error stands")
          .contains("id=\"dev-error\"")
          .contains(error);

      long recovered = saveAndAwait(repository, http, "Hello, reloaded", "Hello, fixed");
      assertThat(Duration.ofNanos(recovered)).isLessThan(RELOADED_WITHIN);
      assertThat(get(http + "/").body()).doesNotContain("dev-error");
      assertThat(me(http, cookie)).isEqualTo(200);
    }
  }

  /**
   * Saves the handler answering {@code after}, then asks until it does: every answer on the way is
   * the old code's or the new one's, none is refused. Answers how long it took, in nanoseconds.
   */
  private static long saveAndAwait(
      RepositoryCopy repository, String http, String before, String after) throws Exception {
    edit(
        repository,
        source -> source.replaceAll("end\\(\"Hello,[^)]*\\)", "end(\"" + after + "\")"));
    long saved = System.nanoTime();
    await("/hello answering " + after)
        .atMost(RELOADED_WITHIN)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              HttpResponse<String> answer = get(http + "/hello");
              assertThat(answer.statusCode()).isEqualTo(200);
              assertThat(answer.body()).isIn(before, after);
              return answer.body().equals(after);
            });
    return System.nanoTime() - saved;
  }

  private static void edit(RepositoryCopy repository, UnaryOperator<String> change)
      throws Exception {
    Path handler = repository.resolve(HANDLER);
    String source = Files.readString(handler);
    String edited = change.apply(source);
    assertThat(edited).as("the edit changes " + HANDLER).isNotEqualTo(source);
    Files.writeString(handler, edited);
  }

  /** Registers and logs in; answers the session cookie ({@code name=value}). */
  private static String loggedIn(String http) throws Exception {
    String alice = "{\"login\":\"alice\",\"password\":\"correct horse\"}";
    assertThat(post(http + "/api/accounts", alice).statusCode()).isEqualTo(201);
    HttpResponse<String> login = post(http + "/api/session", alice);
    assertThat(login.statusCode()).isEqualTo(200);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(me(http, setCookie.substring(0, setCookie.indexOf(';')))).isEqualTo(200);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static int me(String http, String cookie) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(http + "/api/me")).header("Cookie", cookie).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An open echo socket; completes with the status of the close the server sends. */
  private static CompletableFuture<Integer> echoSocketClosing(int wsPort) {
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    HTTP.newWebSocketBuilder()
        .buildAsync(
            URI.create("ws://127.0.0.1:" + wsPort + "/ws/echo"),
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                closed.complete(status);
                return null;
              }

              @Override
              public void onError(WebSocket socket, Throwable error) {
                closed.completeExceptionally(error);
              }
            })
        .join();
    return closed;
  }
}
