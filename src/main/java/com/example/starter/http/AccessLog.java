package com.example.starter.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One line per request, with its request id, when the response ends: every request ({@code all}),
 * only those that failed ({@code errors}: the ones a caller quotes an id for), or none ({@code
 * off}). A line per successful request costs about a third of {@code /hello}'s throughput
 * (bench/README.md).
 */
final class AccessLog implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

  /** Request id, method, URI, status, time taken. */
  private static final String LINE = "{} {} {} {} {}ms";

  enum Mode {
    ALL,
    ERRORS,
    OFF
  }

  private final boolean successesToo;

  private AccessLog(boolean successesToo) {
    this.successesToo = successesToo;
  }

  /** The handler for {@code ACCESS_LOG}, or none when it is {@code off}. */
  static AccessLog of(String mode) {
    return switch (Mode.valueOf(mode.toUpperCase(Locale.ROOT))) {
      case ALL -> new AccessLog(true);
      case ERRORS -> new AccessLog(false);
      case OFF -> null;
    };
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        ended -> {
          int status = ctx.response().getStatusCode();
          Level level =
              status >= 500
                  ? Level.ERROR
                  : status >= 400 ? Level.WARN : successesToo ? Level.INFO : null;
          if (level != null) {
            LOG.atLevel(level)
                .log(
                    LINE,
                    RequestId.of(ctx),
                    ctx.request().method(),
                    ctx.request().uri(),
                    status,
                    elapsedMillis(start));
          }
        });
    ctx.next();
  }

  private static long elapsedMillis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
