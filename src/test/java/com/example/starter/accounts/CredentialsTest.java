package com.example.starter.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.starter.bus.BusException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
  @ValueSource(
      strings = {
        "ab",
        "",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "has space",
        "semi;colon",
        "dollar$",
        "ünï"
      })
  void loginsThatBreakTheRulesSayWhich(String login) {
    assertThatThrownBy(() -> Credentials.forRegistration(request(login, "long enough")))
        .isInstanceOfSatisfying(BusException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("login must be 3 to 32 characters, each a letter, a digit, '.', '_' or '-'");
  }

  @Test
  void passwordLengthIsCountedInCharactersNeitherBytesNorUtf16Units() {
    assertThat(Credentials.forRegistration(request("alice", "é".repeat(128))).password())
        .hasSize(128);
    assertThatThrownBy(() -> Credentials.forRegistration(request("alice", "é".repeat(129))))
        .hasMessage("password must be 8 to 128 characters");
    // 😀 is one character and two UTF-16 units: 128 of them are 256 units, and allowed.
    assertThat(Credentials.forRegistration(request("alice", "😀".repeat(128))).password())
        .hasSize(256);
    assertThatThrownBy(() -> Credentials.forRegistration(request("alice", "😀".repeat(129))))
        .hasMessage("password must be 8 to 128 characters");
    assertThat(Credentials.forRegistration(request("alice", "😀".repeat(8))).password())
        .hasSize(16);
    assertThatThrownBy(() -> Credentials.forRegistration(request("alice", "😀".repeat(7))))
        .hasMessage("password must be 8 to 128 characters");
  }

  @Test
  void aLoginIsCheckedAgainstTheRulesAtLoginTooSoTheKelvinSignIsNotAK() {
    assertThatThrownBy(() -> Credentials.forLogin(request("\u212Aarl", "long enough")))
        .isInstanceOfSatisfying(BusException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("login must be 3 to 32 characters, each a letter, a digit, '.', '_' or '-'");
    assertThatThrownBy(() -> Credentials.forLogin(request("x".repeat(60_000), "long enough")))
        .isInstanceOf(BusException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc\uD800defgh", "abcdefgh\uDC00", "\uDC00\uD800abcdefgh"})
  void aPasswordWithALoneSurrogateIsRefusedBecauseItHasNoUtf8Form(String password) {
    assertThatThrownBy(() -> Credentials.forRegistration(request("alice", password)))
        .hasMessage("password must be text: it holds a lone UTF-16 surrogate");
    assertThatThrownBy(() -> Credentials.forLogin(request("alice", password)))
        .hasMessage("password must be text: it holds a lone UTF-16 surrogate");
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
    assertThatThrownBy(
            () ->
                Credentials.forRegistration(
                    request(new JsonObject().put("$ne", null), "long enough")))
        .isInstanceOfSatisfying(BusException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("login must be a string");
    assertThatThrownBy(
            () -> Credentials.forLogin(request("alice", new JsonObject().put("$gt", ""))))
        .hasMessage("password must be a string");
    assertThatThrownBy(() -> Credentials.forLogin(request(new JsonArray().add("alice"), "x")))
        .hasMessage("login must be a string");
    assertThatThrownBy(() -> Credentials.forLogin(request(null, "x")))
        .hasMessage("login must be a string");
  }

  @Test
  void theLoginKeyIgnoresCase() {
    assertThat(Credentials.forLogin(request("ALice", "x")).loginKey()).isEqualTo("alice");
  }
}
