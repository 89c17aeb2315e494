package com.example.starter.config;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppConfigTest {

  private static JsonObject defaults;

  /** The real dev defaults, so that the tests break if conf/config.json does. */
  @BeforeAll
  static void readDefaults() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      defaults = vertx.fileSystem().readFile("conf/config.json").await().toJsonObject();
    } finally {
      vertx.close().await();
    }
  }

  @AfterAll
  static void forget() {
    defaults = null;
  }

  private static AppConfig with(String key, Object value) {
    return AppConfig.from(defaults.copy().put(key, value));
  }

  @Test
  void devDefaultsRunAllFourRolesWithTheEmbeddedDatabase() {
    AppConfig config = AppConfig.from(defaults);
    assertThat(roles(config)).containsExactlyInAnyOrder(Role.HTTP, Role.WS, Role.ACCOUNTS, Role.SESSIONS);
    assertThat(config.runsEmbeddedMongo()).isTrue();
    assertThat(config.clustered()).isFalse();
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.json().getInteger(ConfigKeys.WS_PORT)).isEqualTo(8081);
  }

  @Test
  void valuesFromTheEnvironmentArriveAsStringsAndAreNormalised() {
    AppConfig config = AppConfig.from(defaults.copy()
      .put(ConfigKeys.HTTP_PORT, " 9090 ")
      .put(ConfigKeys.CLUSTER, "TRUE")
      .put(ConfigKeys.ROLES, " HTTP , ws"));
    assertThat(config.json().getValue(ConfigKeys.HTTP_PORT)).isEqualTo(9090);
    assertThat(config.json().getValue(ConfigKeys.CLUSTER)).isEqualTo(true);
    assertThat(config.json().getString(ConfigKeys.ROLES)).isEqualTo("http,ws");
  }

  @Test
  void aPortThatIsNotANumberNamesTheKeyAndTheValue() {
    assertThatThrownBy(() -> with(ConfigKeys.HTTP_PORT, "eighty"))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("HTTP_PORT='eighty'")
      .hasMessageContaining("not a whole number");
  }

  @Test
  void aPortOutOfRangeIsRefused() {
    assertThatThrownBy(() -> with(ConfigKeys.WS_PORT, 70000))
      .hasMessageContaining("WS_PORT='70000'")
      .hasMessageContaining("out of range");
  }

  @Test
  void anUnknownRoleNamesItAndTheKnownOnes() {
    assertThatThrownBy(() -> with(ConfigKeys.ROLES, "http,billing"))
      .hasMessageContaining("ROLES='billing'")
      .hasMessageContaining("http, ws, accounts, sessions, mongo");
  }

  @Test
  void noRoleAtAllIsRefused() {
    assertThatThrownBy(() -> with(ConfigKeys.ROLES, " , "))
      .hasMessageContaining("ROLES")
      .hasMessageContaining("empty");
  }

  @Test
  void aMissingKeyIsNamed() {
    JsonObject incomplete = defaults.copy();
    incomplete.remove(ConfigKeys.DATA_DIR);
    assertThatThrownBy(() -> AppConfig.from(incomplete)).hasMessageContaining("DATA_DIR is missing");
  }

  @Test
  void aBooleanThatIsNotOneIsRefused() {
    assertThatThrownBy(() -> with(ConfigKeys.DEBUG, "yes")).hasMessageContaining("DEBUG='yes' is not true or false");
  }

  @Test
  void httpAloneWithoutTheClusterSaysWhatIsMissing() {
    assertThatThrownBy(() -> with(ConfigKeys.ROLES, "http"))
      .hasMessageContaining("the http role needs accounts and sessions")
      .hasMessageContaining("CLUSTER=true");
  }

  @Test
  void wsAloneWithoutTheClusterNeedsSessions() {
    assertThatThrownBy(() -> with(ConfigKeys.ROLES, "ws,accounts"))
      .hasMessageContaining("the ws role needs sessions");
  }

  @Test
  void anySplitIsAcceptedOnTheCluster() {
    AppConfig config = AppConfig.from(defaults.copy().put(ConfigKeys.ROLES, "http").put(ConfigKeys.CLUSTER, true));
    assertThat(roles(config)).containsExactly(Role.HTTP);
    assertThat(config.runsEmbeddedMongo()).isFalse();
  }

  @Test
  void aMongoUrlReplacesTheEmbeddedDatabase() {
    AppConfig config = with(ConfigKeys.MONGO_URL, "mongodb://db.example:27017");
    assertThat(config.runsEmbeddedMongo()).isFalse();
    assertThat(config.mongoUrl()).isEqualTo("mongodb://db.example:27017");
  }

  @Test
  void theMongoRoleServesOnTheUsualPortUnlessOneIsGiven() {
    assertThat(with(ConfigKeys.ROLES, "mongo").json().getInteger(ConfigKeys.EMBEDDED_MONGO_PORT)).isEqualTo(27017);
    assertThat(AppConfig.from(defaults.copy().put(ConfigKeys.ROLES, "mongo").put(ConfigKeys.EMBEDDED_MONGO_PORT, 27500))
      .json().getInteger(ConfigKeys.EMBEDDED_MONGO_PORT)).isEqualTo(27500);
    assertThat(AppConfig.from(defaults).json().getInteger(ConfigKeys.EMBEDDED_MONGO_PORT)).isZero();
  }

  @Test
  void theMongoRoleAndAMongoUrlContradictEachOther() {
    assertThatThrownBy(() -> AppConfig.from(defaults.copy()
      .put(ConfigKeys.ROLES, "mongo,accounts")
      .put(ConfigKeys.MONGO_URL, "mongodb://elsewhere:27017")))
      .hasMessageContaining("ROLES includes mongo")
      .hasMessageContaining("MONGO_URL");
  }

  @Test
  void upstreamsComeAsJsonTextFromTheEnvironment() {
    AppConfig config = with(ConfigKeys.UPSTREAMS, "[{\"name\":\"github\",\"url\":\"https://api.github.com\",\"timeoutMs\":800}]");
    assertThat(config.json().getJsonArray(ConfigKeys.UPSTREAMS).getJsonObject(0).getString("name")).isEqualTo("github");
  }

  @Test
  void anUpstreamMustBeNamedAndHttp() {
    assertThatThrownBy(() -> with(ConfigKeys.UPSTREAMS, "[{\"name\":\"x\",\"url\":\"file:///etc/passwd\",\"timeoutMs\":800}]"))
      .hasMessageContaining("UPSTREAMS=").hasMessageContaining("an http(s) url");
    assertThatThrownBy(() -> with(ConfigKeys.UPSTREAMS, "not json")).hasMessageContaining("not a JSON array");
    assertThatThrownBy(() -> with(ConfigKeys.UPSTREAMS,
      "[{\"name\":\"a\",\"url\":\"http://h\",\"timeoutMs\":1},{\"name\":\"a\",\"url\":\"http://h\",\"timeoutMs\":1}]"))
      .hasMessageContaining("a name used twice");
  }

  @Test
  void unknownKeysAreNotPassedOn() {
    AppConfig config = AppConfig.from(defaults.copy().put("java.version", "17"));
    assertThat(config.json().containsKey("java.version")).isFalse();
  }

  private static List<Role> roles(AppConfig config) {
    return Arrays.stream(Role.values()).filter(config::has).toList();
  }
}
