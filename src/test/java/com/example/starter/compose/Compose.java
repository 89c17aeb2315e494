package com.example.starter.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The compose stack of {@code docker/}, under a project name of its own, driven through the {@code
 * docker-compose} and {@code docker} commands. Which files and base images it uses comes from the
 * environment {@code docker/e2e} sets: {@code E2E_EMBEDDED_MONGO} (default true: the embedded
 * database's override) and {@code E2E_ENV_FILE} (e.g. {@code docker/no-registry.env}).
 */
final class Compose {

  static final String IMAGE = "starter:latest";

  private final String project;
  private final int port;
  private final List<String> base = new ArrayList<>();

  Compose(String project, int port) {
    this.project = project;
    this.port = port;
    base.addAll(List.of("docker-compose", "-p", project, "-f", "docker/docker-compose.yml"));
    if (!"false".equals(System.getenv("E2E_EMBEDDED_MONGO"))) {
      base.addAll(List.of("-f", "docker/docker-compose.embedded-mongo.yml"));
    }
    String envFile = System.getenv("E2E_ENV_FILE");
    if (envFile != null && !envFile.isBlank()) {
      base.addAll(List.of("--env-file", envFile));
    }
  }

  /** Why no engine can run the stack here, or null if one can. */
  static String whyNot() {
    try {
      run(List.of("docker", "info"), Map.of(), Duration.ofSeconds(20));
      run(List.of("docker-compose", "version"), Map.of(), Duration.ofSeconds(20));
      return null;
    } catch (IllegalStateException | UncheckedIOException e) {
      return e.getMessage();
    }
  }

  String compose(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(base);
    command.addAll(Arrays.asList(args));
    return run(command, Map.of("BALANCER_PORT", String.valueOf(port)), timeout);
  }

  static String docker(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(Arrays.asList(args));
    return run(command, Map.of(), timeout);
  }

  /** The containers of a service, by name, in replica order. */
  List<String> containers(String service) {
    return docker(
            Duration.ofSeconds(20),
            "ps",
            "-a",
            "--filter",
            "label=com.docker.compose.project=" + project,
            "--filter",
            "label=com.docker.compose.service=" + service,
            "--format",
            "{{.Names}}")
        .lines()
        .sorted()
        .toList();
  }

  /**
   * How many servers of the balancer's {@code backend} it has in service ("UP" on its stats page,
   * which listens on the balancer container's own loopback: docker/balancer/haproxy.cfg).
   */
  int inService(String backend) {
    String answer =
        docker(
            Duration.ofSeconds(20),
            "exec",
            containers("balancer").get(0),
            "bash",
            "-c",
            "exec 3<>/dev/tcp/127.0.0.1/8404 && printf 'GET /stats;csv HTTP/1.0\\r\\n\\r\\n' >&3"
                + " && cat <&3");
    List<String> header = null;
    int up = 0;
    for (String line : answer.lines().toList()) {
      if (line.startsWith("# pxname,")) {
        header = List.of(line.substring(2).split(","));
      } else if (header != null && line.startsWith(backend + ",")) {
        List<String> fields = List.of(line.split(",", -1));
        String server = fields.get(header.indexOf("svname"));
        if (!server.equals("BACKEND") && fields.get(header.indexOf("status")).equals("UP")) {
          up++;
        }
      }
    }
    if (header == null) {
      throw new IllegalStateException("no stats from the balancer:\n" + answer);
    }
    return up;
  }

  static String health(String container) {
    return docker(
            Duration.ofSeconds(20),
            "inspect",
            "--format",
            "{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}",
            container)
        .strip();
  }

  static String logs(String container) {
    return docker(Duration.ofSeconds(30), "logs", container);
  }

  private static String run(List<String> command, Map<String, String> env, Duration timeout) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(env);
      Process process = builder.start();
      // Read while it runs: a full pipe would stop it.
      byte[][] output = new byte[1][];
      Thread reader =
          new Thread(
              () -> {
                try {
                  output[0] = process.getInputStream().readAllBytes();
                } catch (IOException e) {
                  output[0] = e.toString().getBytes(StandardCharsets.UTF_8);
                }
              });
      reader.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + ": no end within " + timeout);
      }
      reader.join();
      String text = new String(output[0], StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
