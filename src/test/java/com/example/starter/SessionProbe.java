package com.example.starter;

import static org.awaitility.Awaitility.await;

import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an http node who a session cookie belongs to, as a browser would: for tests of where a
 * session lives.
 */
public final class SessionProbe {

  private static final Logger LOG = LoggerFactory.getLogger(SessionProbe.class);

  private SessionProbe() {}

  /**
   * The status of {@code GET /api/me} with this cookie ({@code name=value}) on the node at {@code
   * port}.
   */
  public static int me(WebClient client, int port, String cookie) {
    return client
        .get(port, "127.0.0.1", "/api/me")
        .putHeader("Cookie", cookie)
        .send()
        .await()
        .statusCode();
  }

  /**
   * The status of ending sessions with {@code DELETE path}, this cookie, on the node at {@code
   * port}.
   */
  public static int delete(WebClient client, int port, String path, String cookie) {
    return client
        .delete(port, "127.0.0.1", path)
        .putHeader("Cookie", cookie)
        .putHeader("Content-Type", "application/json")
        .send()
        .await()
        .statusCode();
  }

  /**
   * How long, from now, until the node at {@code port} refuses the cookie (within 5 s, or the wait
   * fails).
   */
  public static long millisUntilRefused(WebClient client, int port, String cookie) {
    long start = System.nanoTime();
    await("the cookie refused on port " + port)
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(2))
        .until(() -> me(client, port, cookie) == 401);
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    LOG.info("Cookie refused on port {} after {} ms", port, millis);
    return millis;
  }
}
