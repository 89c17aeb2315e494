package com.example.starter.greetings;

import com.example.starter.bus.BusException;
import com.example.starter.bus.Failures;
import io.vertx.core.json.JsonObject;

/**
 * The worked example of "Add your own capability" (docs/make-it-yours.md): what the greetings role
 * answers, as a plain class the verticle delegates to. The rules are checked here, not only by the
 * OpenAPI router, so that a caller on the bus meets them too.
 */
public final class Greetings {

  static final int MAX_NAME_LENGTH = 64;

  private Greetings() {}

  /**
   * {@code {"name"}} to {@code {"greeting"}}; a name that breaks the rules is a 400 that says
   * which.
   */
  public static JsonObject greet(JsonObject request) {
    if (!(request.getValue("name") instanceof String name) || name.isBlank()) {
      throw new BusException(Failures.BAD_REQUEST, "name must be a non-blank string");
    }
    if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
      throw new BusException(
          Failures.BAD_REQUEST, "name must be at most " + MAX_NAME_LENGTH + " characters");
    }
    return new JsonObject().put("greeting", "Hello, " + name.strip() + "!");
  }
}
