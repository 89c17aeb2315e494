package com.example.starter.server;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The JSON error shape of both ports, {@code {"error": "<code>", "message": "<text>"}}: the code
 * follows from the status, and a status that has a message of its own gets it when none is given.
 */
public final class ErrorBody {

  /**
   * A status's code, and what it says by itself (null where it says too little without context).
   */
  private record Status(String code, String ownMessage) {}

  private static final Map<Integer, Status> STATUSES =
      Map.ofEntries(
          status(400, "bad_request", null),
          status(401, "unauthorized", null),
          status(403, "forbidden", null),
          status(404, "not_found", "no such resource"),
          status(405, "method_not_allowed", "this resource does not accept that method"),
          status(408, "request_timeout", "the request took too long to arrive"),
          status(409, "conflict", null),
          status(410, "gone", null),
          status(411, "length_required", null),
          status(413, "payload_too_large", "the request body is larger than allowed"),
          status(414, "uri_too_long", "the request line is longer than allowed"),
          status(415, "unsupported_media_type", "send the request body as application/json"),
          status(416, "range_not_satisfiable", "the requested range is not in the resource"),
          status(417, "expectation_failed", "the only expectation understood is 100-continue"),
          status(426, "upgrade_required", null),
          status(429, "too_many_requests", null),
          status(431, "header_fields_too_large", "the request headers are larger than allowed"),
          status(500, "internal_error", "the server failed to handle the request"),
          status(503, "unavailable", "a service this request needs is not available"));

  private static Map.Entry<Integer, Status> status(int status, String code, String ownMessage) {
    return Map.entry(status, new Status(code, ownMessage));
  }

  private ErrorBody() {}

  /** {@code message}, or the status's own message if it is null. */
  public static String json(int status, String message) {
    return new JsonObject()
        .put("error", code(status))
        .put("message", message != null ? message : defaultMessage(status))
        .encode();
  }

  public static String code(int status) {
    Status known = STATUSES.get(status);
    return known == null ? "error" : known.code();
  }

  /** What the status says by itself, or null if it says too little without its context. */
  public static String ownMessage(int status) {
    Status known = STATUSES.get(status);
    return known == null ? null : known.ownMessage();
  }

  private static String defaultMessage(int status) {
    String own = ownMessage(status);
    return own != null ? own : code(status);
  }
}
