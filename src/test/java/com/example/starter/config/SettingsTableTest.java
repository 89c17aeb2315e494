package com.example.starter.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The settings table of docs/configuration.md is the declarations in {@link Setting}, rendered. */
class SettingsTableTest {

  static final String BEGIN =
      "<!-- settings: generated from Setting.java; SettingsTableTest prints it when they differ -->";
  static final String END = "<!-- /settings -->";

  @Test
  void theReadmeTableIsTheDeclarations() throws Exception {
    String readme = Files.readString(Path.of("docs/configuration.md"));
    assertThat(readme).contains(BEGIN).contains(END);
    String inReadme =
        readme.substring(readme.indexOf(BEGIN) + BEGIN.length(), readme.indexOf(END)).strip();
    String declared = table();
    assertThat(inReadme)
        .withFailMessage(
            "The settings table of docs/configuration.md differs from Setting.java; put this between its markers:%n%s",
            declared)
        .isEqualTo(declared);
  }

  @Test
  void everyDefaultIsAValueItsOwnTypeAccepts() {
    for (Setting setting : Setting.values()) {
      assertThat(setting.type().parse(setting.name(), setting.defaultValue()))
          .as(setting.name())
          .isNotNull();
    }
  }

  static String table() {
    return "| key | meaning | values | default |\n|---|---|---|---|\n"
        + Arrays.stream(Setting.values())
            .map(
                setting ->
                    "| `"
                        + setting.name()
                        + "` | "
                        + setting.meaning()
                        + " | "
                        + setting.type().describe()
                        + " | "
                        + shown(setting.defaultValue())
                        + " |")
            .collect(Collectors.joining("\n"));
  }

  private static String shown(Object value) {
    if ("".equals(value)) {
      return "empty";
    }
    if (value instanceof String text && text.strip().startsWith("[")) {
      return "`" + new JsonArray(text).encode() + "`";
    }
    return "`" + value + "`";
  }
}
