package com.example.starter.server;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The JSON error shape of both ports, {@code {"error": "<code>", "message": "<text>"}}: the code
 * follows from the status, and a status that has a message of its own gets it when none is given.
 */
public final class ErrorBody {

  private static final Map<Integer, String> CODES =
      Map.ofEntries(
          Map.entry(400, "bad_request"),
          Map.entry(401, "unauthorized"),
          Map.entry(403, "forbidden"),
          Map.entry(404, "not_found"),
          Map.entry(405, "method_not_allowed"),
          Map.entry(409, "conflict"),
          Map.entry(410, "gone"),
          Map.entry(411, "length_required"),
          Map.entry(413, "payload_too_large"),
          Map.entry(408, "request_timeout"),
          Map.entry(414, "uri_too_long"),
          Map.entry(415, "unsupported_media_type"),
          Map.entry(416, "range_not_satisfiable"),
          Map.entry(417, "expectation_failed"),
          Map.entry(426, "upgrade_required"),
          Map.entry(431, "header_fields_too_large"),
          Map.entry(429, "too_many_requests"),
          Map.entry(500, "internal_error"),
          Map.entry(503, "unavailable"));

  private static final Map<Integer, String> DEFAULT_MESSAGES =
      Map.ofEntries(
          Map.entry(404, "no such resource"),
          Map.entry(405, "this resource does not accept that method"),
          Map.entry(408, "the request took too long to arrive"),
          Map.entry(413, "the request body is larger than allowed"),
          Map.entry(414, "the request line is longer than allowed"),
          Map.entry(415, "send the request body as application/json"),
          Map.entry(416, "the requested range is not in the resource"),
          Map.entry(417, "the only expectation understood is 100-continue"),
          Map.entry(431, "the request headers are larger than allowed"),
          Map.entry(500, "the server failed to handle the request"),
          Map.entry(503, "a service this request needs is not available"));

  private ErrorBody() {}

  /** {@code message}, or the status's own message if it is null. */
  public static String json(int status, String message) {
    return new JsonObject()
        .put("error", code(status))
        .put("message", message != null ? message : defaultMessage(status))
        .encode();
  }

  public static String code(int status) {
    return CODES.getOrDefault(status, "error");
  }

  /** What the status says by itself, or null if it says too little without its context. */
  public static String ownMessage(int status) {
    return DEFAULT_MESSAGES.get(status);
  }

  private static String defaultMessage(int status) {
    return DEFAULT_MESSAGES.getOrDefault(status, code(status));
  }
}
