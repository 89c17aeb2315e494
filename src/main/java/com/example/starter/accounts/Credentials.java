package com.example.starter.accounts;

import com.example.starter.bus.BusException;
import com.example.starter.bus.Failures;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A login and a password taken from a request, checked before anything touches the database. Only
 * JSON strings are accepted: an object where a string belongs ({@code {"$ne": null}}) would
 * otherwise become a query operator.
 */
record Credentials(String login, String password) {

  private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9._-]{3,32}");
  static final int PASSWORD_MIN = 8;
  static final int PASSWORD_MAX = 128;
  private static final String PASSWORD_RULE =
      "password must be " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters";

  /** The rules a new account must meet; each failure names the rule. */
  static Credentials forRegistration(JsonObject request) {
    Credentials credentials = forLogin(request);
    return new Credentials(credentials.login, newPassword(credentials.password));
  }

  /**
   * A password to be stored (registration, change, reset): the rules of any password, and the
   * minimum length.
   */
  static String newPassword(Object value) {
    String password = password(value);
    if (password.codePointCount(0, password.length()) < PASSWORD_MIN) {
      throw invalid(PASSWORD_RULE);
    }
    return password;
  }

  /**
   * Logging in checks the same forms as registration: no stored login breaks them, and a login
   * outside them must not reach the case folding ({@code "\u212A"}, the Kelvin sign, folds to
   * {@code k}) nor the failure counters.
   */
  static Credentials forLogin(JsonObject request) {
    Credentials credentials = strings(request);
    if (!LOGIN.matcher(credentials.login).matches()) {
      throw invalid("login must be 3 to 32 characters, each a letter, a digit, '.', '_' or '-'");
    }
    password(credentials.password);
    return credentials;
  }

  private static String password(Object value) {
    if (!(value instanceof String password)) {
      throw invalid("password must be a string");
    }
    if (password.codePointCount(0, password.length()) > PASSWORD_MAX) {
      throw invalid(PASSWORD_RULE);
    }
    // A lone surrogate has no UTF-8 form: hashed, it would equal any other lone surrogate or '?'.
    for (int i = 0; i < password.length(); i++) {
      char c = password.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < password.length()
          && Character.isLowSurrogate(password.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw invalid("password must be text: it holds a lone UTF-16 surrogate");
      }
    }
    return password;
  }

  /** Uniqueness and lookups ignore case: {@code Alice} and {@code alice} are one account. */
  String loginKey() {
    return login.toLowerCase(Locale.ROOT);
  }

  private static Credentials strings(JsonObject request) {
    return new Credentials(string(request, "login"), string(request, "password"));
  }

  static String string(JsonObject request, String field) {
    Object value = request == null ? null : request.getValue(field);
    if (!(value instanceof String text)) {
      throw invalid(field + " must be a string");
    }
    return text;
  }

  private static BusException invalid(String message) {
    return new BusException(Failures.BAD_REQUEST, message);
  }
}
