package com.example.starter.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Time limits a client cannot stretch by sending a byte now and then (the server's idle timeout
 * restarts on every byte): a connection must deliver a complete request head within {@code
 * headMillis} of opening or of its previous response, and a request its whole body within {@code
 * bodyMillis} of its head. Otherwise the connection is closed (with a 408 in the JSON error shape
 * when a request had begun). Checked once a second, on the server's event loop.
 */
public final class SlowClients {

  private final long headMillis;
  private final long bodyMillis;

  /**
   * Connections of this server, with the request in progress (null between requests) and since
   * when.
   */
  private final Map<HttpConnection, Progress> connections = new HashMap<>();

  private static final class Progress {
    HttpServerRequest request;
    long since = System.currentTimeMillis();
  }

  private SlowClients(long headMillis, long bodyMillis) {
    this.headMillis = headMillis;
    this.bodyMillis = bodyMillis;
  }

  /**
   * Watches the server's connections (the check's timer goes with the verticle that calls this).
   */
  public static SlowClients watch(
      Vertx vertx, HttpServer server, long headMillis, long bodyMillis) {
    SlowClients slowClients = new SlowClients(headMillis, bodyMillis);
    server.connectionHandler(
        connection -> {
          slowClients.connections.put(connection, new Progress());
          connection.closeHandler(closed -> slowClients.connections.remove(connection));
        });
    vertx.setPeriodic(1000, tick -> slowClients.check());
    return slowClients;
  }

  /** A request head has arrived on its connection. */
  public void started(HttpServerRequest request) {
    Progress progress = connections.get(request.connection());
    if (progress != null) {
      progress.request = request;
      progress.since = System.currentTimeMillis();
    }
  }

  /**
   * The connection from this address asks for a websocket: the websocket's own limits apply from
   * now on.
   */
  public void upgraded(SocketAddress remote) {
    connections.keySet().removeIf(connection -> connection.remoteAddress().equals(remote));
  }

  private void check() {
    long now = System.currentTimeMillis();
    for (Map.Entry<HttpConnection, Progress> entry : Map.copyOf(connections).entrySet()) {
      Progress progress = entry.getValue();
      if (progress.request != null && progress.request.response().ended()) {
        progress.request = null;
        progress.since = now;
      }
      if (progress.request == null && now - progress.since > headMillis) {
        entry.getKey().close();
      } else if (progress.request != null
          && !progress.request.isEnded()
          && now - progress.since > bodyMillis) {
        HttpFraming.refuse(progress.request, 408, null);
      }
    }
  }
}
