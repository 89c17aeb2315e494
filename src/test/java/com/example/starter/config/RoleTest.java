package com.example.starter.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every place outside the code that names roles agrees with {@link Role}: dev mode, the compose
 * stack and the Kubernetes manifests each run every role but the embedded database's, and only
 * known roles.
 */
class RoleTest {

  /** What a production-shaped deployment runs: every role, the database being a real one. */
  private static final Set<Role> DEPLOYED = Role.deployed();

  /** From the declared default: the config file leaves ROLES alone, so a new role needs no edit. */
  @Test
  void devModeRunsEveryDeployedRole() throws IOException {
    assertThat(new JsonObject(Files.readString(Path.of("conf/config.json"))).containsKey("ROLES"))
        .isFalse();
    assertThat(parsed((String) Setting.ROLES.defaultValue())).isEqualTo(DEPLOYED);
  }

  /**
   * Each data role's verticle, named in the role table, is a verticle of the role's own package.
   */
  @Test
  void eachRolesVerticleLoadsFromItsOwnPackage() throws ClassNotFoundException {
    for (Role role : Role.values()) {
      if (role.verticle().isEmpty()) {
        continue;
      }
      Class<?> verticle = Class.forName(role.verticle().get());
      assertThat(Deployable.class).as(role.name()).isAssignableFrom(verticle);
      assertThat(verticle.getPackageName()).isEqualTo("com.example.starter." + role.key());
    }
    assertThat(Role.ACCOUNTS.verticle()).isPresent();
    assertThat(Role.HTTP.verticle()).isEmpty();
  }

  @Test
  void theComposeStackRunsEveryDeployedRole() throws IOException {
    assertThat(union(rolesIn(Path.of("docker/docker-compose.yml")))).isEqualTo(DEPLOYED);
    assertThat(union(rolesIn(Path.of("docker/docker-compose.embedded-mongo.yml"))))
        .isEqualTo(EnumSet.of(Role.MONGO));
  }

  @Test
  void theKubernetesManifestsRunEveryDeployedRole() throws IOException {
    List<String> lists = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("k8s/base"))) {
      for (Path file : files.filter(file -> file.toString().endsWith(".yaml")).toList()) {
        lists.addAll(rolesIn(file));
      }
    }
    assertThat(union(lists)).isEqualTo(DEPLOYED);
  }

  @Test
  void aRoleThatOpensMongoAnswersReadinessAndTheSettingNamesEveryRole() {
    for (Role role : Role.values()) {
      if (role.usesMongo()) {
        assertThat(role.healthAddress()).as("%s's health address", role).isPresent();
      }
      assertThat(Setting.ROLES.meaning()).contains("`" + role.key() + "`");
    }
  }

  private static Set<Role> parsed(String list) {
    return Arrays.stream(list.split(","))
        .map(Role::parse)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
  }

  private static Set<Role> union(List<String> lists) {
    assertThat(lists).as("ROLES values").isNotEmpty();
    return lists.stream()
        .flatMap(list -> parsed(list).stream())
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
  }

  /** Every ROLES value in a YAML file: compose's {@code ROLES: x} and Kubernetes' env entries. */
  private static List<String> rolesIn(Path file) throws IOException {
    List<String> found = new ArrayList<>();
    for (Object document : new Yaml().loadAll(Files.readString(file))) {
      collect(document, found);
    }
    return found;
  }

  private static void collect(Object node, List<String> found) {
    if (node instanceof Map<?, ?> map) {
      if (map.get("ROLES") instanceof String roles) {
        found.add(roles);
      }
      if ("ROLES".equals(map.get("name")) && map.get("value") instanceof String roles) {
        found.add(roles);
      }
      map.values().forEach(value -> collect(value, found));
    } else if (node instanceof List<?> list) {
      list.forEach(value -> collect(value, found));
    }
  }
}
