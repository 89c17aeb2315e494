package com.example.starter.accounts;

import com.example.starter.bus.BusException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialsTest {

  private static JsonObject request(Object login, Object password) {
    return new JsonObject().put("login", login).put("password", password);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "Alice_01", "a.b-c", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  void loginsThatMeetTheRules(String login) {
    assertThat(Credentials.forRegistration(request(login, "long enough")).login()).isEqualTo(login);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "has space", "semi;colon", "dollar$", "ünï"})
  void loginsThatBreakTheRulesSayWhich(String login) {
    assertThatThrownBy(() -> Credentials.forRegistration(request(login, "long enough")))
      .isInstanceOfSatisfying(BusException.class, e -> assertThat(e.code()).isEqualTo(400))
      .hasMessage("login must be 3 to 32 characters, each a letter, a digit, '.', '_' or '-'");
  }

  @Test
  void passwordLengthIsCountedInCharactersNotBytes() {
    assertThat(Credentials.forRegistration(request("alice", "ééééééé€")).password()).hasSize(8);
    assertThatThrownBy(() -> Credentials.forRegistration(request("alice", "1234567")))
      .hasMessage("password must be 8 to 128 characters");
    assertThatThrownBy(() -> Credentials.forRegistration(request("alice", "p".repeat(129))))
      .hasMessage("password must be 8 to 128 characters");
  }

  @Test
  void anOperatorObjectWhereAStringBelongsIsRefused() {
    assertThatThrownBy(() -> Credentials.forRegistration(request(new JsonObject().put("$ne", null), "long enough")))
      .isInstanceOfSatisfying(BusException.class, e -> assertThat(e.code()).isEqualTo(400))
      .hasMessage("login must be a string");
    assertThatThrownBy(() -> Credentials.forLogin(request("alice", new JsonObject().put("$gt", ""))))
      .hasMessage("password must be a string");
    assertThatThrownBy(() -> Credentials.forLogin(request(new JsonArray().add("alice"), "x")))
      .hasMessage("login must be a string");
    assertThatThrownBy(() -> Credentials.forLogin(request(null, "x"))).hasMessage("login must be a string");
  }

  @Test
  void theLoginKeyIgnoresCase() {
    assertThat(Credentials.forLogin(request("ALice", "x")).loginKey()).isEqualTo("alice");
  }
}
