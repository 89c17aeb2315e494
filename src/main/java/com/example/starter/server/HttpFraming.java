package com.example.starter.server;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.HexFormat;

/**
 * Requests refused before routing, answered in the JSON error shape and with the connection closed
 * (whatever follows on it, pipelined or smuggled, is not read):
 *
 * <ul>
 *   <li>what Netty cannot parse (414, 431, 400);
 *   <li>framing a proxy in front may read differently (request smuggling, RFC 9112 section 6.3):
 *       any {@code Transfer-Encoding} (411: bodies come with a {@code Content-Length}), more than
 *       one {@code Host};
 *   <li>a request target (path and query) with a control character, or whose percent-encoding does
 *       not decode.
 * </ul>
 */
public final class HttpFraming {

  private HttpFraming() {}

  /** Installs the answer to unparsable requests on a server. */
  public static HttpServer install(HttpServer server) {
    return server.invalidRequestHandler(HttpFraming::unparsable);
  }

  private static void unparsable(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status =
        cause instanceof TooLongHttpLineException
            ? 414
            : cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException
                ? 431
                : 400;
    refuse(request, status, status == 400 ? "the request is not valid HTTP/1.1" : null);
  }

  /** Why a request is refused: its status and what to tell the client. */
  public record Refusal(int status, String message) {}

  /** Answers and closes if the request is refused; true when it was. */
  public static boolean refused(HttpServerRequest request) {
    Refusal refusal = refusal(request.headers(), request.uri());
    if (refusal == null) {
      return false;
    }
    refuse(request, refusal.status(), refusal.message());
    return true;
  }

  /**
   * Why a request with these headers and this target is refused, or null. Request bodies must have
   * a {@code Content-Length}: Netty drops a {@code Content-Length} sent along with {@code
   * Transfer-Encoding: chunked} before the application sees it, so the one way to answer every such
   * request (RFC 9112 wants its connection closed) is to take no {@code Transfer-Encoding} at all.
   * A JSON API loses nothing by it: browsers never send chunked requests.
   */
  public static Refusal refusal(MultiMap headers, String target) {
    // Every request passes here: one pass over the target. Each escape is checked here, not by
    // URLDecoder, which reads "%-0" as the number 0 and lets through what Vert.x's router then
    // fails on with a 500; in the query, what Netty's decoder throws on when a handler asks for
    // the parameters (both found by PublicInputsFuzzTest).
    boolean badEscape = false;
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return new Refusal(400, "the request target holds a control character");
      }
      if (c == '%') {
        badEscape |=
            i + 2 >= target.length()
                || !HexFormat.isHexDigit(target.charAt(i + 1))
                || !HexFormat.isHexDigit(target.charAt(i + 2));
      }
    }
    if (headers.contains("Transfer-Encoding")) {
      return new Refusal(
          411, "send the request body with a Content-Length; Transfer-Encoding is not accepted");
    }
    if (headers.getAll("Host").size() > 1) {
      return new Refusal(400, "a request must carry one Host header");
    }
    if (badEscape) {
      return new Refusal(400, "the request target's percent-encoding is not valid");
    }
    return null;
  }

  /** Answers in the JSON error shape, then closes the connection. */
  static void refuse(HttpServerRequest request, int status, String message) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(ErrorBody.json(status, message))
        .onComplete(sent -> request.connection().close());
  }
}
