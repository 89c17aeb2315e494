package com.example.starter;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fat jar run as a real process, configured by environment variables as a container would be.
 */
public final class JarProcess implements AutoCloseable {

  // Lines as text or as JSON, where '/' may be written '\/'.
  private static final Pattern HTTP_PORT = Pattern.compile("Ready: HTTP on http:\\S*?:(\\d+)");
  private static final Pattern EMBEDDED_MONGO =
      Pattern.compile("Embedded MongoDB at (mongodb:\\S+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path log;

  private JarProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static JarProcess start(Map<String, String> env, Path logDir) {
    return start(List.of(), env, logDir);
  }

  /**
   * Starts the jar behind {@code prefix}, such as {@code ip netns exec NAME}, which execs it in
   * place.
   */
  public static JarProcess start(List<String> prefix, Map<String, String> env, Path logDir) {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(java(), "-jar", jar()));
    return run(command, env, Path.of(""), logDir);
  }

  /**
   * Runs {@code command} in {@code directory}, such as the dev loop in a copy of the repository.
   */
  public static JarProcess run(
      List<String> command, Map<String, String> env, Path directory, Path logDir) {
    try {
      Files.createDirectories(logDir);
      Path log = Files.createTempFile(logDir, "starter-", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(directory.toAbsolutePath().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().putAll(env);
      return new JarProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fat jar under test. */
  public static String jar() {
    return System.getProperty("app.jar", "target/starter.jar");
  }

  /** The JVM running the tests, which runs the jar too. */
  public static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** The port the process's HTTP got, from its {@code Ready:} line; waits for that line. */
  public int httpPort(Duration timeout) {
    return Integer.parseInt(awaitLine(HTTP_PORT, timeout));
  }

  /** The embedded database's address, from the line that announces it; waits for that line. */
  public String embeddedMongoUrl(Duration timeout) {
    return awaitLine(EMBEDDED_MONGO, timeout);
  }

  /** Group 1 of the first match of {@code pattern} in the output; waits for it. */
  public String awaitLine(Pattern pattern, Duration timeout) {
    return await(pattern + " in the output")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Matcher matcher = pattern.matcher(output());
              if (!matcher.find() && !process.isAlive()) {
                throw new AssertionError(
                    "the process exited with " + process.exitValue() + ":\n" + output());
              }
              return matcher.find(0) ? matcher.group(1).replace("\\/", "/") : null;
            },
            Objects::nonNull);
  }

  /**
   * Waits until {@code url} answers 200; fails at once if the process dies, or when the time is up.
   */
  public void awaitOk(String url, Duration timeout) {
    await(url + " answering 200")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(
                    "the process exited with " + process.exitValue() + ":\n" + output());
              }
              return status(url) == 200;
            });
  }

  /** The status of a GET, or -1 when nothing answers. */
  public static int status(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)));
  }

  /** The status of a POST of this JSON, or -1 when nothing answers. */
  public static int post(String url, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static int send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
              request.timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** SIGTERM, as an orchestrator stops a container. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown hook, no flush, as a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** The exit code, or fails if the process has not exited in time. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
