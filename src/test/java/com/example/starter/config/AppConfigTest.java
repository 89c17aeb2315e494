package com.example.starter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AppConfigTest {

  private static JsonObject defaults;

  /** The real dev defaults, so that the tests break if conf/config.json does. */
  @BeforeAll
  static void readDefaults() throws Exception {
    defaults = new JsonObject(Files.readString(Path.of("conf/config.json")));
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
    assertThat(roles(config))
        .containsExactlyInAnyOrder(
            Role.HTTP, Role.WS, Role.ACCOUNTS, Role.SESSIONS, Role.GREETINGS);
    assertThat(config.runsEmbeddedMongo()).isTrue();
    assertThat(config.cluster()).isFalse();
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.json().getInteger(Setting.WS_PORT.name())).isEqualTo(8081);
  }

  @Test
  void behindTheDevLoopsFrontTheServersTakeLoopbackPortsAndBrowsersAreToldTheFrontsOnes() {
    AppConfig front =
        AppConfig.from(defaults.copy().put(Setting.ROLES.name(), "http,ws,sessions,accounts,mongo"))
            .withMongoUrl("mongodb://127.0.0.1:40000");

    AppConfig behind = AppConfig.from(front.behindFront("/project/src/main/resources/webroot"));

    assertThat(roles(behind))
        .as("the front keeps the embedded database")
        .containsExactlyInAnyOrder(Role.HTTP, Role.WS, Role.SESSIONS, Role.ACCOUNTS);
    assertThat(behind.mongoUrl()).isEqualTo("mongodb://127.0.0.1:40000");
    assertThat(behind.runsEmbeddedMongo()).isFalse();
    assertThat(List.of(behind.httpHost(), behind.wsHost())).containsOnly("127.0.0.1");
    assertThat(List.of(behind.httpPort(), behind.wsPort())).containsOnly(0);
    assertThat(behind.managementPort()).isEqualTo(-1);
    assertThat(behind.wsPortForBrowsers()).isEqualTo(8081);
    assertThat(behind.wsAllowedOrigins()).isEqualTo("http://localhost:8080,http://127.0.0.1:8080");
    assertThat(behind.webrootDir()).isEqualTo("/project/src/main/resources/webroot");
  }

  @Test
  void aWebrootDirAndOriginsSetByTheDeveloperAreKeptBehindTheFront() {
    AppConfig front =
        with(Setting.WS_ALLOWED_ORIGINS.name(), "https://app.example")
            .withPort(Setting.HTTP_PORT, 8080);
    AppConfig own = AppConfig.from(front.json().copy().put(Setting.WEBROOT_DIR.name(), "site"));

    AppConfig behind = AppConfig.from(own.behindFront("/elsewhere"));

    assertThat(behind.wsAllowedOrigins()).isEqualTo("https://app.example");
    assertThat(behind.webrootDir()).isEqualTo("site");
  }

  @Test
  void browsersOpenWebsocketsOnWsPublicPortWhenSetElseOnWsPort() {
    assertThat(with(Setting.WS_PUBLIC_PORT.name(), 0).wsPortForBrowsers()).isEqualTo(8081);
    assertThat(with(Setting.WS_PUBLIC_PORT.name(), 9443).wsPortForBrowsers()).isEqualTo(9443);
  }

  @Test
  void valuesFromTheEnvironmentArriveAsStringsAndAreNormalised() {
    AppConfig config =
        AppConfig.from(
            defaults
                .copy()
                .put(Setting.HTTP_PORT.name(), " 9090 ")
                .put(Setting.CLUSTER.name(), "TRUE")
                .put(Setting.ROLES.name(), " HTTP , ws"));
    assertThat(config.json().getValue(Setting.HTTP_PORT.name())).isEqualTo(9090);
    assertThat(config.json().getValue(Setting.CLUSTER.name())).isEqualTo(true);
    assertThat(config.json().getString(Setting.ROLES.name())).isEqualTo("http,ws");
  }

  @Test
  void aPortThatIsNotANumberNamesTheKeyAndTheValue() {
    assertThatThrownBy(() -> with(Setting.HTTP_PORT.name(), "eighty"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContainingAll("HTTP_PORT='eighty'", "not a whole number");
  }

  @Test
  void aPortOutOfRangeIsRefused() {
    assertThatThrownBy(() -> with(Setting.WS_PORT.name(), 70000))
        .hasMessageContainingAll("WS_PORT='70000'", "out of range");
  }

  @Test
  void anUnknownRoleNamesItAndTheKnownOnes() {
    assertThatThrownBy(() -> with(Setting.ROLES.name(), "http,billing"))
        .hasMessageContainingAll(
            "ROLES='billing'", "http, ws, accounts, sessions, greetings, mongo");
  }

  @Test
  void noRoleAtAllIsRefused() {
    assertThatThrownBy(() -> with(Setting.ROLES.name(), " , "))
        .hasMessageContainingAll("ROLES", "empty");
  }

  @Test
  void aSettingGivenNowhereTakesItsDeclaredDefault() {
    JsonObject incomplete = defaults.copy();
    incomplete.remove(Setting.ACCESS_LOG.name());
    assertThat(AppConfig.from(incomplete).json().getString(Setting.ACCESS_LOG.name()))
        .isEqualTo("errors");
    assertThat(
            AppConfig.from(new JsonObject())
                .json()
                .getInteger(Setting.SESSION_TIMEOUT_MINUTES.name()))
        .isEqualTo(30);
  }

  @Test
  void anUnknownKeyIsReportedNotDropped() {
    assertThatThrownBy(() -> with("HTTP_PROT", 9090))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown setting HTTP_PROT");
  }

  @Test
  void aSystemPropertyThatIsNoSettingIsLeftToItsOwner() {
    // -DLOG_LEVEL=DEBUG is logback's; the sys store brings every property along.
    System.setProperty("LOG_LEVEL", "DEBUG");
    try {
      assertThat(with("LOG_LEVEL", "DEBUG").json().containsKey("LOG_LEVEL")).isFalse();
    } finally {
      System.clearProperty("LOG_LEVEL");
    }
  }

  @Test
  void aValueOutsideTheRangeSetByAnotherSettingIsRefused() {
    assertThatThrownBy(() -> with(Setting.SESSION_TOUCH_AFTER_SECONDS.name(), 30 * 60))
        .hasMessageContainingAll("SESSION_TOUCH_AFTER_SECONDS='1800'", "at most 1799");
    assertThatThrownBy(() -> with(Setting.LOGIN_MAX_BLOCK_SECONDS.name(), 59))
        .hasMessageContaining("at least 60");
  }

  /** Each end of every whole-number setting's range, given alone: what the table says it takes. */
  static Stream<Arguments> everyRangeEnd() {
    return Arrays.stream(Setting.values())
        .filter(setting -> setting.type() instanceof SettingType.Whole)
        .flatMap(
            setting -> {
              SettingType.Whole range = (SettingType.Whole) setting.type();
              return Stream.of(
                  Arguments.of(setting, range.min()), Arguments.of(setting, range.max()));
            });
  }

  /** Settings whose range another setting narrows, and that setting. */
  private static final Map<Setting, Setting> BOUNDED_BY =
      Map.of(
          Setting.SESSION_TOUCH_AFTER_SECONDS, Setting.SESSION_TIMEOUT_MINUTES,
          Setting.SESSION_CACHE_SECONDS, Setting.SESSION_TIMEOUT_MINUTES,
          Setting.LOGIN_MAX_BLOCK_SECONDS, Setting.LOGIN_FAILURE_WINDOW_SECONDS);

  /**
   * Works alone, because the defaults that depend on the setting follow it; only a value beyond
   * what another setting's default allows is refused, and the refusal names that setting.
   */
  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("everyRangeEnd")
  void everyEndOfASettingsRangeWorksAloneUnlessAnotherSettingNarrowsIt(Setting setting, int value) {
    Setting bound = BOUNDED_BY.get(setting);
    Throwable refused = catchThrowable(() -> with(setting.name(), value));
    if (bound == null || refused == null) {
      assertThat(refused).isNull();
      assertThat(with(setting.name(), value).json().getInteger(setting.name())).isEqualTo(value);
    } else {
      assertThat(refused).isInstanceOf(ConfigException.class).hasMessageContaining(bound.name());
    }
  }

  @Test
  void aDefaultBoundByAnotherSettingFollowsIt() {
    JsonObject oneMinute = with(Setting.SESSION_TIMEOUT_MINUTES.name(), 1).json();
    assertThat(oneMinute.getInteger(Setting.SESSION_TOUCH_AFTER_SECONDS.name())).isEqualTo(30);
    assertThat(oneMinute.getInteger(Setting.SESSION_CACHE_SECONDS.name())).isEqualTo(30);
    JsonObject usual = AppConfig.from(defaults).json();
    assertThat(usual.getInteger(Setting.SESSION_TOUCH_AFTER_SECONDS.name())).isEqualTo(60);
    assertThat(usual.getInteger(Setting.LOGIN_MAX_BLOCK_SECONDS.name())).isEqualTo(3600);
    assertThat(
            with(Setting.LOGIN_FAILURE_WINDOW_SECONDS.name(), 7200)
                .json()
                .getInteger(Setting.LOGIN_MAX_BLOCK_SECONDS.name()))
        .isEqualTo(7200);
  }

  @Test
  void aBooleanThatIsNotOneIsRefused() {
    assertThatThrownBy(() -> with(Setting.DEBUG.name(), "yes"))
        .hasMessageContaining("DEBUG='yes' is not true or false");
  }

  @Test
  void httpAloneWithoutTheClusterSaysWhatIsMissing() {
    assertThatThrownBy(() -> with(Setting.ROLES.name(), "http"))
        .hasMessageContainingAll("the http role needs accounts and sessions", "CLUSTER=true");
  }

  @Test
  void wsAloneWithoutTheClusterNeedsSessions() {
    assertThatThrownBy(() -> with(Setting.ROLES.name(), "ws,accounts"))
        .hasMessageContaining("the ws role needs sessions");
  }

  @Test
  void anySplitIsAcceptedOnTheCluster() {
    AppConfig config =
        AppConfig.from(
            defaults.copy().put(Setting.ROLES.name(), "http").put(Setting.CLUSTER.name(), true));
    assertThat(roles(config)).containsExactly(Role.HTTP);
    assertThat(config.runsEmbeddedMongo()).isFalse();
  }

  @Test
  void aMongoUrlReplacesTheEmbeddedDatabase() {
    AppConfig config = with(Setting.MONGO_URL.name(), "mongodb://db.example:27017");
    assertThat(config.runsEmbeddedMongo()).isFalse();
    assertThat(config.mongoUrl()).isEqualTo("mongodb://db.example:27017");
  }

  @Test
  void theMongoRoleServesOnTheUsualPortUnlessOneIsGiven() {
    assertThat(
            with(Setting.ROLES.name(), "mongo")
                .json()
                .getInteger(Setting.EMBEDDED_MONGO_PORT.name()))
        .isEqualTo(27017);
    assertThat(
            AppConfig.from(
                    defaults
                        .copy()
                        .put(Setting.ROLES.name(), "mongo")
                        .put(Setting.EMBEDDED_MONGO_PORT.name(), 27500))
                .json()
                .getInteger(Setting.EMBEDDED_MONGO_PORT.name()))
        .isEqualTo(27500);
    assertThat(AppConfig.from(defaults).json().getInteger(Setting.EMBEDDED_MONGO_PORT.name()))
        .isZero();
  }

  @Test
  void theMongoRoleAndAMongoUrlContradictEachOther() {
    assertThatThrownBy(
            () ->
                AppConfig.from(
                    defaults
                        .copy()
                        .put(Setting.ROLES.name(), "mongo,accounts")
                        .put(Setting.MONGO_URL.name(), "mongodb://elsewhere:27017")))
        .hasMessageContainingAll("ROLES includes mongo", "MONGO_URL");
  }

  @Test
  void upstreamsComeAsJsonTextFromTheEnvironment() {
    AppConfig config =
        with(
            Setting.UPSTREAMS.name(),
            "[{\"name\":\"github\",\"url\":\"https://api.github.com\",\"timeoutMs\":800}]");
    assertThat(
            config.json().getJsonArray(Setting.UPSTREAMS.name()).getJsonObject(0).getString("name"))
        .isEqualTo("github");
  }

  @Test
  void anUpstreamMustBeNamedAndHttp() {
    assertThatThrownBy(
            () ->
                with(
                    Setting.UPSTREAMS.name(),
                    "[{\"name\":\"x\",\"url\":\"file:///etc/passwd\",\"timeoutMs\":800}]"))
        .hasMessageContainingAll("UPSTREAMS=", "an http(s) url");
    assertThatThrownBy(() -> with(Setting.UPSTREAMS.name(), "not json"))
        .hasMessageContaining("not a JSON array");
    assertThatThrownBy(
            () ->
                with(
                    Setting.UPSTREAMS.name(),
                    "[{\"name\":\"a\",\"url\":\"http://h\",\"timeoutMs\":1},{\"name\":\"a\",\"url\":\"http://h\",\"timeoutMs\":1}]"))
        .hasMessageContaining("a name used twice");
  }

  @Test
  void jvmPropertiesAndTheConfigFileNameAreNotPassedOn() {
    AppConfig config =
        AppConfig.from(
            defaults
                .copy()
                .put("java.version", "17")
                .put(ConfigLoader.CONFIG_FILE, "conf/config.json"));
    assertThat(config.json().containsKey("java.version")).isFalse();
    assertThat(config.json().containsKey(ConfigLoader.CONFIG_FILE)).isFalse();
  }

  private static List<Role> roles(AppConfig config) {
    return Arrays.stream(Role.values()).filter(config::has).toList();
  }
}
