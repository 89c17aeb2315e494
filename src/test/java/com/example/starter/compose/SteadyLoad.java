package com.example.starter.compose;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.Awaitility;

/**
 * A fixed rate of {@code GET /hello} and logged-in {@code GET /api/me}, alternating, each request
 * sent on its schedule whether or not the ones before it were answered (no coordinated omission).
 * Every answer that is not a 200, and every request with no answer in 10 s, is a failure.
 */
final class SteadyLoad {

  /** One request: when it was sent and answered, in ms since the load started; status 0 = none. */
  record Outcome(String path, long sentMs, long doneMs, int status, String error) {
    boolean failed() {
      return status != 200;
    }
  }

  private final Vertx vertx;
  private final WebClient web;
  private final String cookie;
  private final long began = System.nanoTime();
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private long timer;
  private long sent;

  SteadyLoad(Vertx vertx, WebClient web, String cookie, int perSecond) {
    this.vertx = vertx;
    this.web = web;
    this.cookie = cookie;
    timer = vertx.setPeriodic(1000 / perSecond, tick -> send());
  }

  long nowMs() {
    return (System.nanoTime() - began) / 1_000_000;
  }

  private void send() {
    boolean me = sent++ % 2 == 1;
    String path = me ? "/api/me" : "/hello";
    long sentMs = nowMs();
    var request = web.get(path).timeout(10_000);
    if (me) {
      request.putHeader("Cookie", cookie);
    }
    request
        .send()
        .onComplete(
            answer ->
                outcomes.add(
                    answer.succeeded()
                        ? new Outcome(path, sentMs, nowMs(), answer.result().statusCode(), null)
                        : new Outcome(path, sentMs, nowMs(), 0, answer.cause().toString())));
  }

  /** Stops sending, and answers every outcome once the requests in flight are answered. */
  List<Outcome> stop() {
    vertx.cancelTimer(timer);
    Awaitility.await("the load's last answers")
        .atMost(Duration.ofSeconds(15))
        .until(() -> outcomes.size() == sent);
    return List.copyOf(outcomes);
  }

  static String describe(List<Outcome> outcomes) {
    long failed = outcomes.stream().filter(Outcome::failed).count();
    String first =
        outcomes.stream()
            .filter(Outcome::failed)
            .limit(5)
            .map(
                o ->
                    o.path()
                        + " at "
                        + o.sentMs()
                        + " ms: "
                        + (o.error() == null ? o.status() : o.error()))
            .toList()
            .toString();
    return String.format(
        Locale.ROOT,
        "%d requests, %d failed%s",
        outcomes.size(),
        failed,
        failed == 0 ? "" : " " + first);
  }
}
