package com.example.starter.upstreams;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One configured upstream service, behind a circuit breaker of its own. */
final class Upstream {

  final String name;
  private final String url;
  private final long timeoutMs;
  final CircuitBreaker breaker;

  Upstream(Vertx vertx, JsonObject config, int maxFailures, long resetMs) {
    this.name = config.getString("name");
    this.url = config.getString("url");
    this.timeoutMs = config.getLong("timeoutMs");
    this.breaker =
        CircuitBreaker.create(
            "upstream-" + name,
            vertx,
            new CircuitBreakerOptions()
                .setMaxFailures(maxFailures)
                .setTimeout(timeoutMs)
                .setResetTimeout(resetMs));
  }

  /** Always succeeds: a failure is part of the answer, never a failure of the whole. */
  Future<JsonObject> call(WebClient client) {
    long start = System.nanoTime();
    return breaker
        .<Integer>execute(
            () ->
                client
                    .getAbs(url)
                    .timeout(timeoutMs)
                    .send()
                    .compose(
                        response ->
                            response.statusCode() < 400
                                ? Future.succeededFuture(response.statusCode())
                                : Future.failedFuture(
                                    new BadStatusException(response.statusCode()))))
        .transform(
            done -> {
              JsonObject result =
                  new JsonObject()
                      .put("name", name)
                      .put("ok", done.succeeded())
                      .put("state", breaker.state().name())
                      .put("latencyMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
              if (done.succeeded()) {
                result.put("status", done.result());
              } else {
                result.put("error", kind(done.cause()));
                if (done.cause() instanceof BadStatusException bad) {
                  result.put("status", bad.status);
                }
              }
              return Future.succeededFuture(result);
            });
  }

  private static String kind(Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return "circuit_open";
    }
    if (failure instanceof io.vertx.circuitbreaker.TimeoutException
        || failure instanceof TimeoutException) {
      return "timeout";
    }
    if (failure instanceof ConnectException) {
      return "refused";
    }
    if (failure instanceof BadStatusException) {
      return "bad_status";
    }
    return "failed";
  }

  private static final class BadStatusException extends RuntimeException {
    final int status;

    BadStatusException(int status) {
      super("status " + status, null, false, false);
      this.status = status;
    }
  }
}
