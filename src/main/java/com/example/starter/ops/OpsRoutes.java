package com.example.starter.ops;

import com.example.starter.bus.BusClient;
import com.example.starter.config.Role;
import com.example.starter.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
  public static Future<Router> router(Vertx vertx, JsonObject config) {
    Router router = Router.router(vertx);
    mount(vertx, router, config);
    return Future.succeededFuture(router);
  }

  public static void mount(Vertx vertx, Router router, JsonObject config) {
    router.get(LIVE).handler(HealthCheckHandler.createWithHealthChecks(alwaysUp(vertx)));
    router.get(READY).handler(HealthCheckHandler.createWithHealthChecks(readiness(vertx, config)));
    router
        .get(METRICS)
        .handler(PrometheusScrapingHandler.create(config.getString(Metrics.REGISTRY)));
  }

  /**
   * Ready when every role this process runs or calls answers on the bus; the accounts and sessions
   * roles answer only while their database does.
   */
  private static HealthChecks readiness(Vertx vertx, JsonObject config) {
    long timeout = config.getInteger(Setting.BUS_TIMEOUT_MS.name());
    Set<Role> toCheck = rolesToCheck(config.getString(Setting.ROLES.name()));
    if (toCheck.isEmpty()) {
      return alwaysUp(vertx);
    }
    HealthChecks checks = HealthChecks.create(vertx);
    BusClient bus = new BusClient(vertx.eventBus(), timeout);
    for (Role role : toCheck) {
      String address = role.healthAddress().orElseThrow();
      checks.register(
          role.key(),
          timeout,
          promise ->
              bus.request(address, new JsonObject())
                  .onComplete(reply -> promise.complete(Status.OK()), promise::fail));
    }
    return checks;
  }

  /** With no procedure the handler would answer 204; probes and people expect 200 and a body. */
  private static HealthChecks alwaysUp(Vertx vertx) {
    return HealthChecks.create(vertx).register("process", promise -> promise.complete(Status.OK()));
  }

  /** The roles this process runs or calls that have a health address. */
  private static Set<Role> rolesToCheck(String roles) {
    return Arrays.stream(roles.split(","))
        .map(Role::parse)
        .flatMap(role -> Stream.concat(Stream.of(role), role.needs().stream()))
        .filter(role -> role.healthAddress().isPresent())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
