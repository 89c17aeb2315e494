package com.example.starter.accounts;

import com.example.starter.bus.BusException;
import com.example.starter.bus.Failures;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A login and a password taken from a request, checked before anything touches the database.
 * Only JSON strings are accepted: an object where a string belongs ({@code {"$ne": null}}) would
 * otherwise become a query operator.
 */
record Credentials(String login, String password) {

  private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9._-]{3,32}");
  static final int PASSWORD_MIN = 8;
  static final int PASSWORD_MAX = 128;

  /** The rules a new account must meet; each failure names the rule. */
  static Credentials forRegistration(JsonObject request) {
    Credentials credentials = strings(request);
    if (!LOGIN.matcher(credentials.login).matches()) {
      throw invalid("login must be 3 to 32 characters, each a letter, a digit, '.', '_' or '-'");
    }
    int length = credentials.password.codePointCount(0, credentials.password.length());
    if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
      throw invalid("password must be " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters");
    }
    return credentials;
  }

  /** Logging in checks only the shape: a login that breaks the rules is simply unknown. */
  static Credentials forLogin(JsonObject request) {
    Credentials credentials = strings(request);
    if (credentials.password.length() > PASSWORD_MAX * 2) {
      throw invalid("password must be at most " + PASSWORD_MAX + " characters");
    }
    return credentials;
  }

  /** Uniqueness and lookups ignore case: {@code Alice} and {@code alice} are one account. */
  String loginKey() {
    return login.toLowerCase(Locale.ROOT);
  }

  private static Credentials strings(JsonObject request) {
    return new Credentials(string(request, "login"), string(request, "password"));
  }

  private static String string(JsonObject request, String field) {
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
