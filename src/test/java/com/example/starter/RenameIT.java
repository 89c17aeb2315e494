package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./rename} on a copy of this repository (its tracked files, as a fresh clone has them), to
 * a package that sorts after {@code io.vertx} (so the imports move and the format check must pass):
 * no identifier of the old name is left, and the renamed copy builds and passes its own {@code
 * ./mvnw verify}: every unit test (its fuzzing run left out), and of the integration tests those
 * that run the renamed jar as a process and scrape its renamed metrics ({@code FatJarIT}, {@code
 * PrometheusIT}). The others prove nothing a rename changes, and cost CI minutes.
 */
class RenameIT {

  private static final Pattern OLD_NAME = Pattern.compile("starter", Pattern.CASE_INSENSITIVE);

  /**
   * Prose the rename leaves for its new owner to write: titles, and what the documents (these, and
   * docs/) say.
   */
  private static final Pattern PROSE = Pattern.compile("Vert\\.x service starter|the starter's");

  private static final Set<Path> DOCUMENTS =
      Set.of(Path.of("README.md"), Path.of("bench/README.md"));

  /** The name's identifier forms, which must be gone from the documents too. */
  private static final Pattern IDENTIFIERS =
      Pattern.compile(
          "com\\.example\\.starter|starter\\.(jar|sid|mv)|starter_chat|<artifactId>starter<");

  @TempDir Path copy;

  @Test
  void aRenamedCloneHasNoOldIdentifierLeftAndPassesItsOwnBuild() throws Exception {
    RepositoryCopy repository = RepositoryCopy.into(copy);

    assertThat(
            repository.run(List.of("./rename", "org.acme.orders", "orders-service"), Map.of(), 1))
        .isZero();

    assertThat(copy.resolve("src/main/java/org/acme/orders/Main.java")).exists();
    assertThat(copy.resolve("src/main/java/com/example")).doesNotExist();
    assertThat(leftovers()).isEmpty();
    assertThat(Files.readString(copy.resolve("pom.xml")))
        .contains(
            "<groupId>org.acme</groupId>",
            "<artifactId>orders-service</artifactId>",
            "<main.class>org.acme.orders.Main</main.class>",
            "<finalName>orders-service</finalName>");
    assertThat(
            Files.readString(
                copy.resolve(
                    "src/main/resources/META-INF/services/io.vertx.ext.auth.hashing.HashingAlgorithm")))
        .contains("org.acme.orders.accounts.Argon2id");

    // The fuzzing minute is this build's: the copy replays the kept inputs like any other test.
    int built =
        repository.run(
            List.of(
                "./mvnw", "-B", "-q", "verify", "-DskipFuzz", "-Dit.test=FatJarIT,PrometheusIT"),
            Map.of(),
            25);
    // The copy is deleted after the test: what failed must be in the report.
    assertThat(built)
        .as("the renamed copy's ./mvnw verify; the end of its output:%n%s", repository.logTail(120))
        .isZero();
    assertThat(copy.resolve("target/orders-service.jar")).exists();
  }

  /** Each line of the copy that still says the old name where it identifies something. */
  private List<String> leftovers() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(copy)) {
      // The script and this test name the old identifiers to find them.
      for (Path file :
          files
              .filter(Files::isRegularFile)
              .filter(file -> !file.endsWith("rename") && !file.endsWith("RenameIT.java"))
              .toList()) {
        List<String> lines;
        try {
          lines = Files.readAllLines(file);
        } catch (MalformedInputException binary) {
          continue;
        }
        boolean document =
            DOCUMENTS.contains(copy.relativize(file))
                || copy.relativize(file).startsWith("docs")
                || file.toString().endsWith(".py");
        for (String line : lines) {
          boolean prose = document || PROSE.matcher(line).find();
          if (IDENTIFIERS.matcher(line).find() || (!prose && OLD_NAME.matcher(line).find())) {
            found.add(copy.relativize(file) + ": " + line.trim());
          }
        }
      }
    }
    return found;
  }
}
