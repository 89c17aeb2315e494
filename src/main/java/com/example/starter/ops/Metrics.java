package com.example.starter.ops;

import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/** Vert.x metrics into a Prometheus registry of its own, scraped at {@link OpsRoutes#METRICS}. */
public final class Metrics {

  /**
   * Label values come from clients too: an invented HTTP method would otherwise make a new series
   * per request. Methods other than these are counted as {@code OTHER}.
   */
  private static final Match KNOWN_METHODS_ONLY =
      new Match()
          .setLabel(Label.HTTP_METHOD.toString())
          .setType(MatchType.REGEX)
          .setValue("(?!(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$).*")
          .setAlias("OTHER");

  /**
   * Set by the application in each verticle's config, never by a user: the Prometheus registry to
   * scrape.
   */
  public static final String REGISTRY = "METRICS_REGISTRY";

  private Metrics() {}

  /**
   * Each Vert.x instance gets its own registry name: registries are looked up by name, JVM-wide.
   * Event-bus reply failures are counted by kind ({@code failure}: {@code TIMEOUT}, {@code
   * NO_HANDLERS}, {@code RECIPIENT_FAILURE}, {@code ERROR}), so that a timeout is told from a
   * role's refusal such as a wrong password.
   */
  public static MicrometerMetricsOptions options(String registryName) {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setRegistryName(registryName)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .addLabels(Label.EB_FAILURE)
        .addLabelMatch(KNOWN_METHODS_ONLY);
  }
}
