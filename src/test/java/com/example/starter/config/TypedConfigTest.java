package com.example.starter.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Settings are read through {@link AppConfig}'s accessors, one per setting, and only there. */
class TypedConfigTest {

  private static final Path MAIN = Path.of("src/main/java/com/example/starter");

  /** A setting's value fetched by its name, or anything fetched from a verticle's raw config. */
  private static final Pattern LOOKUP_BY_NAME =
      Pattern.compile(
          "Setting\\.[A-Z0-9_]+\\.name\\(\\)"
              + "|\\.get(?:Integer|String|Boolean|JsonArray|Long|Value)\\(\"[A-Z][A-Z0-9_]*\"\\)"
              + "|config\\(\\)\\.get\\w*\\(");

  @Test
  @SuppressWarnings("unchecked")
  void everySettingHasOneAccessorNamedAfterItThatReturnsItsCheckedValue() throws Exception {
    AppConfig config = AppConfig.from(new JsonObject());
    for (Setting setting : Setting.values()) {
      Method accessor = AppConfig.class.getMethod(accessorName(setting));
      assertThat(Modifier.isPublic(accessor.getModifiers())).as(setting.name()).isTrue();
      assertThat(accessor.getReturnType()).as(setting.name()).isEqualTo(javaType(setting));
      Object value = accessor.invoke(config);
      Object stored = setting == Setting.ROLES ? Role.keys((Set<Role>) value) : value;
      assertThat(stored).as(setting.name()).isEqualTo(config.json().getValue(setting.name()));
    }
  }

  @Test
  void noMainCodeOutsideTheConfigPackageReadsASettingByItsName() throws IOException {
    List<String> lookups = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
        if (file.startsWith(MAIN.resolve("config"))) {
          continue;
        }
        Matcher lookup = LOOKUP_BY_NAME.matcher(Files.readString(file));
        while (lookup.find()) {
          lookups.add(MAIN.relativize(file) + ": " + lookup.group());
        }
      }
    }
    assertThat(lookups).isEmpty();
  }

  @Test
  void theLookupRuleCatchesEachWayOfReadingByName() {
    for (String reading :
        List.of(
            "config.getInteger(Setting.HTTP_PORT.name())",
            "json.getString(\"MONGO_URL\")",
            "config().getInteger(key)")) {
      assertThat(LOOKUP_BY_NAME.matcher(reading).find()).as(reading).isTrue();
    }
  }

  /** {@code HTTP_IDLE_TIMEOUT_SECONDS} is read by {@code httpIdleTimeoutSeconds()}. */
  private static String accessorName(Setting setting) {
    String[] words = setting.name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder name = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return name.toString();
  }

  private static Class<?> javaType(Setting setting) {
    if (setting == Setting.ROLES) {
      return Set.class;
    }
    SettingType type = setting.type();
    if (type instanceof SettingType.Whole) {
      return int.class;
    }
    if (type instanceof SettingType.Bool) {
      return boolean.class;
    }
    return type instanceof SettingType.Upstreams ? JsonArray.class : String.class;
  }
}
