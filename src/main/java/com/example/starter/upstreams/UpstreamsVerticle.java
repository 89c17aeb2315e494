package com.example.starter.upstreams;

import com.example.starter.bus.Addresses;
import com.example.starter.config.AppConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.List;

/**
 * A front site's fan-out to the services behind it ({@code fetch_all} in aiohttp terms): calls
 * every configured upstream at once through one pooled, keep-alive client, each behind its own
 * circuit breaker, and keeps the answer for a short while. URLs come from the configuration only,
 * never from a request. One per http node, on its local bus.
 */
public class UpstreamsVerticle extends VerticleBase {

  private AppConfig settings;
  private WebClient client;
  private List<Upstream> upstreams;
  private long cacheMillis;
  private Future<JsonObject> latest;
  private long latestAt;

  @Override
  public Future<?> start() {
    settings = AppConfig.of(config());
    client =
        WebClient.create(
            vertx, new WebClientOptions().setKeepAlive(true).setUserAgent("vertx-starter"));
    int maxFailures = settings.upstreamMaxFailures();
    long resetMs = settings.upstreamResetMs();
    String ownPort = String.valueOf(settings.httpPort());
    upstreams =
        settings.upstreams().stream()
            .map(entry -> withOwnPort((JsonObject) entry, ownPort))
            .map(entry -> new Upstream(vertx, entry, maxFailures, resetMs))
            .toList();
    cacheMillis = settings.upstreamsCacheMs();
    reportCircuitStates();
    return vertx
        .eventBus()
        .<JsonObject>localConsumer(
            Addresses.UPSTREAMS_FETCH, message -> fetchAll().onSuccess(message::reply))
        .completion();
  }

  /**
   * {@code {HTTP_PORT}} in a url is the port this process's http verticles got: the defaults call
   * the process itself.
   */
  private static JsonObject withOwnPort(JsonObject upstream, String port) {
    return upstream.copy().put("url", upstream.getString("url").replace("{HTTP_PORT}", port));
  }

  /**
   * Concurrent requests within the cache time share one round of calls, even one still under way.
   */
  private Future<JsonObject> fetchAll() {
    long now = System.currentTimeMillis();
    if (latest == null || now - latestAt >= cacheMillis) {
      latestAt = now;
      latest =
          Future.all(upstreams.stream().map(upstream -> upstream.call(client)).toList())
              .map(all -> new JsonObject().put("upstreams", new JsonArray(all.list())));
    }
    return latest;
  }

  /** {@code starter_upstream_circuit_state{upstream}}: 0 closed, 1 open, 2 half-open. */
  private void reportCircuitStates() {
    MeterRegistry registry = BackendRegistries.getNow(settings.metricsRegistry());
    if (registry == null) {
      return;
    }
    for (Upstream upstream : upstreams) {
      Gauge.builder(
              "starter.upstream.circuit.state",
              upstream.breaker,
              breaker ->
                  switch (breaker.state()) {
                    case CLOSED -> 0;
                    case OPEN -> 1;
                    case HALF_OPEN -> 2;
                  })
          .description("Circuit breaker state: 0 closed, 1 open, 2 half-open")
          .tag("upstream", upstream.name)
          .register(registry);
    }
  }

  @Override
  public Future<?> stop() {
    upstreams.forEach(upstream -> upstream.breaker.close());
    client.close();
    return Future.succeededFuture();
  }
}
