package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * This repository's tracked files, copied into a test's directory, and commands run there with
 * their output in one log ({@code build.log} in the copy): how a clone is tried out.
 */
final class RepositoryCopy {

  private final Path root;

  private RepositoryCopy(Path root) {
    this.root = root;
  }

  /** Copies what {@code git ls-files} lists into {@code root}. */
  static RepositoryCopy into(Path root) throws Exception {
    Path repository = Path.of("").toAbsolutePath();
    Process git =
        new ProcessBuilder("git", "ls-files", "-z").directory(repository.toFile()).start();
    String listing = new String(git.getInputStream().readAllBytes());
    assertThat(git.waitFor(1, TimeUnit.MINUTES) && git.exitValue() == 0)
        .as("git ls-files")
        .isTrue();
    for (String file : listing.split("\0")) {
      Path source = repository.resolve(file);
      if (!file.isEmpty() && Files.exists(source)) {
        Path target = root.resolve(file);
        Files.createDirectories(target.getParent());
        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return new RepositoryCopy(root);
  }

  Path root() {
    return root;
  }

  Path resolve(String file) {
    return root.resolve(file);
  }

  /** Runs {@code command} in the copy; its exit code, or a failure when it takes too long. */
  int run(List<String> command, Map<String, String> env, long minutes) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("build.log").toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      throw new AssertionError(
          command + " took longer than " + minutes + " min; see " + root.resolve("build.log"));
    }
    return process.exitValue();
  }

  /** The end of the commands' output, for a failure message: the copy is deleted after the test. */
  String logTail(int lines) throws IOException {
    List<String> all = Files.readAllLines(root.resolve("build.log"));
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
