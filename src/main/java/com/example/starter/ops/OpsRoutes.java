package com.example.starter.ops;

import com.example.starter.bus.BusClient;
import com.example.starter.config.AppConfig;
import com.example.starter.config.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}, which every process serves
 * whatever its roles, so that an orchestrator can probe and Prometheus scrape each container.
 */
public final class OpsRoutes {

  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";
  public static final String METRICS = "/metrics";

  private OpsRoutes() {}

  /** A router with only these routes, for a process without the http role. */
  public static Future<Router> router(Vertx vertx, AppConfig config) {
    Router router = Router.router(vertx);
    mount(vertx, router, config);
    return Future.succeededFuture(router);
  }

  public static void mount(Vertx vertx, Router router, AppConfig config) {
    router.get(LIVE).handler(HealthCheckHandler.createWithHealthChecks(alwaysUp(vertx)));
    router.get(READY).handler(HealthCheckHandler.createWithHealthChecks(readiness(vertx, config)));
    router.get(METRICS).handler(PrometheusScrapingHandler.create(config.metricsRegistry()));
  }

  /**
   * Ready when every role this process runs or calls answers on the bus; the accounts and sessions
   * roles answer only while their database does.
   */
  private static HealthChecks readiness(Vertx vertx, AppConfig config) {
    long timeout = config.busTimeoutMs();
    Map<Role, String> toCheck = healthAddresses(config.roles());
    if (toCheck.isEmpty()) {
      return alwaysUp(vertx);
    }
    HealthChecks checks = HealthChecks.create(vertx);
    BusClient bus = new BusClient(vertx.eventBus(), timeout);
    toCheck.forEach(
        (role, address) ->
            checks.register(
                role.key(),
                timeout,
                promise ->
                    bus.request(address, new JsonObject())
                        .onComplete(reply -> promise.complete(Status.OK()), promise::fail)));
    return checks;
  }

  /** With no procedure the handler would answer 204; probes and people expect 200 and a body. */
  private static HealthChecks alwaysUp(Vertx vertx) {
    return HealthChecks.create(vertx).register("process", promise -> promise.complete(Status.OK()));
  }

  /** The health addresses of the roles this process runs or calls, in the roles' order. */
  private static Map<Role, String> healthAddresses(Set<Role> roles) {
    Map<Role, String> addresses = new TreeMap<>();
    roles.stream()
        .flatMap(role -> Stream.concat(Stream.of(role), role.needs().stream()))
        .forEach(role -> role.healthAddress().ifPresent(address -> addresses.put(role, address)));
    return addresses;
  }
}
