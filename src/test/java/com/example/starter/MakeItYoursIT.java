package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks docs/make-it-yours.md's "Add your own capability" on a copy of the repository, as a
 * developer would: a {@code farewells} role made after the {@code greetings} example in the five
 * files the checklist names, placed in compose and Kubernetes, then the copy's own tests of it, the
 * role table's and the contract's. Fails when the checklist no longer matches the code.
 */
class MakeItYoursIT {

  private static final String MAIN = "src/main/java/com/example/starter/";

  @TempDir Path copy;

  @Test
  void aCapabilityOfFiveFilesIsServedEndToEnd() throws Exception {
    RepositoryCopy repository = RepositoryCopy.into(copy);
    List<Path> touched = new ArrayList<>();

    // 1. The address.
    touched.add(
        edit(
            repository,
            MAIN + "bus/Addresses.java",
            java ->
                replaceOnce(
                    java,
                    "  public static final String GREETINGS_GREET = \"greetings.greet\";",
                    "  public static final String GREETINGS_GREET = \"greetings.greet\";\n\n"
                        + "  /** Request {@code {\"name\"}}; reply {@code {\"farewell\"}}; 400. */\n"
                        + "  public static final String FAREWELLS_SAY = \"farewells.say\";")));
    // 2 and 3. The plain class and its verticle, after the example's.
    touched.add(madeAfter(repository, "Greetings.java", "Farewells.java"));
    touched.add(madeAfter(repository, "GreetingsVerticle.java", "FarewellsVerticle.java"));
    // 4. The role: a constant, and a case in every switch.
    touched.add(edit(repository, MAIN + "config/Role.java", MakeItYoursIT::withFarewellsRole));
    // 5. The route, handed to the address by the contract.
    touched.add(
        edit(
            repository,
            "src/main/resources/openapi.yaml",
            yaml -> {
              int start = yaml.indexOf("  /api/greetings:\n");
              int end = yaml.indexOf("\n  /api/", start + 1) + 1;
              assertThat(start).as("the example's route in the contract").isPositive();
              return yaml.substring(0, end)
                  + farewells(yaml.substring(start, end))
                  + yaml.substring(end);
            }));
    assertThat(touched).hasSize(5);

    // Where it runs in production: with the accounts role, as greetings does.
    edit(
        repository,
        "docker/docker-compose.yml",
        yaml ->
            replaceOnce(yaml, "ROLES: accounts,greetings", "ROLES: accounts,greetings,farewells"));
    edit(
        repository,
        "k8s/base/accounts.yaml",
        yaml ->
            replaceOnce(yaml, "value: accounts,greetings", "value: accounts,greetings,farewells"));
    // The README's map of packages.
    edit(
        repository,
        "README.md",
        readme ->
            replaceOnce(
                readme,
                "  greetings/ ",
                "  farewells/                 the capability made after the example\n  greetings/ "));
    // Its test, end to end.
    Path test =
        repository.resolve(
            "src/test/java/com/example/starter/farewells/FarewellsEndToEndTest.java");
    Files.createDirectories(test.getParent());
    Files.writeString(test, END_TO_END);

    int tested =
        repository.run(
            List.of(
                "./mvnw",
                "-B",
                "-q",
                "test",
                "-DskipFuzz",
                "-Dsurefire.failIfNoSpecifiedTests=false",
                "-Dtest=FarewellsEndToEndTest,RoleTest,BusOperationsTest,LayoutTest,TypedConfigTest,"
                    + "HttpVerticleTest#anOperationIsOpenWithoutALoginOnlyWhereItSaysSoItself"),
            Map.of(),
            15);
    assertThat(tested)
        .as(
            "the copy's tests of the new capability; the end of their output:%n%s",
            repository.logTail(150))
        .isZero();
    // It ran, and was not left out for a name that matched nothing.
    assertThat(
            repository.resolve(
                "target/surefire-reports/TEST-com.example.starter.farewells.FarewellsEndToEndTest.xml"))
        .content()
        .contains("tests=\"1\"", "failures=\"0\"", "errors=\"0\"");
  }

  private static Path edit(RepositoryCopy repository, String file, UnaryOperator<String> change)
      throws IOException {
    Path path = repository.resolve(file);
    String before = Files.readString(path);
    String after = change.apply(before);
    assertThat(after).as(file).isNotEqualTo(before);
    Files.writeString(path, after);
    return path;
  }

  /** A file of the greetings package, copied into the farewells package with its names changed. */
  private static Path madeAfter(RepositoryCopy repository, String example, String made)
      throws IOException {
    Path from = repository.resolve(MAIN + "greetings/" + example);
    Path to = repository.resolve(MAIN + "farewells/" + made);
    Files.createDirectories(to.getParent());
    Files.writeString(to, farewells(Files.readString(from)));
    return to;
  }

  private static String farewells(String greetings) {
    return greetings
        .replace("GREETINGS_GREET", "FAREWELLS_SAY")
        .replace("greetings.greet", "farewells.say")
        .replace("Greetings", "Farewells")
        .replace("greetings", "farewells")
        .replace("greeting", "farewell")
        .replace("operationId: greet", "operationId: farewell")
        .replace(".greet(", ".farewell(")
        .replace("JsonObject greet(", "JsonObject farewell(")
        .replace("\"Hello, \"", "\"Goodbye, \"");
  }

  private static String withFarewellsRole(String java) {
    StringBuilder changed = new StringBuilder();
    for (String line : java.split("\n", -1)) {
      changed.append(line.replace("GREETINGS, MONGO", "GREETINGS, FAREWELLS, MONGO")).append('\n');
      if (line.equals("  GREETINGS,") || line.trim().startsWith("case GREETINGS ->")) {
        changed.append(farewells(line.replace("GREETINGS", "FAREWELLS"))).append('\n');
      }
    }
    return changed.substring(0, changed.length() - 1);
  }

  private static String replaceOnce(String text, String target, String replacement) {
    assertThat(text).contains(target);
    return text.replace(target, replacement);
  }

  private static final String END_TO_END =
      """
      package com.example.starter.farewells;

      import static org.assertj.core.api.Assertions.assertThat;

      import com.example.starter.RunningApp;
      import org.junit.jupiter.api.Test;
      import org.junit.jupiter.api.extension.RegisterExtension;

      class FarewellsEndToEndTest {

        @RegisterExtension final RunningApp running = RunningApp.started();

        @Test
        void theNewRouteIsAnsweredByTheNewRole() {
          assertThat(running.get("/api/farewells?name=Ada").bodyAsJsonObject().getString("farewell"))
              .isEqualTo("Goodbye, Ada!");
          assertThat(running.get("/api/farewells").statusCode()).isEqualTo(400);
          assertThat(running.get("/health/ready").statusCode()).isEqualTo(200);
        }
      }
      """;
}
