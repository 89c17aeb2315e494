package com.example.starter.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.time.Duration;
import java.util.stream.Stream;

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

  /** The Micrometer name of {@code vertx_http_server_response_time_seconds}. */
  private static final String HTTP_SERVER_RESPONSE_TIME = "vertx.http.server.response.time";

  /**
   * The buckets of {@code vertx_http_server_response_time_seconds_bucket} (Prometheus clients'
   * default ones), from which Prometheus computes latency quantiles: a fixed few, so that each
   * method and status adds 12 series, not the dozens of Micrometer's percentile histogram.
   */
  private static final Duration[] HTTP_SERVER_RESPONSE_TIME_BUCKETS =
      Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
          .map(Duration::ofMillis)
          .toArray(Duration[]::new);

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

  /**
   * The metrics factory of one Vert.x instance: a Prometheus registry of its own, in which HTTP
   * server response times also have {@link #HTTP_SERVER_RESPONSE_TIME_BUCKETS}.
   */
  public static MicrometerMetricsFactory factory() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(responseTimeBuckets());
    return new MicrometerMetricsFactory(registry);
  }

  private static MeterFilter responseTimeBuckets() {
    double[] nanos =
        Stream.of(HTTP_SERVER_RESPONSE_TIME_BUCKETS).mapToDouble(Duration::toNanos).toArray();
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals(HTTP_SERVER_RESPONSE_TIME)) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .serviceLevelObjectives(nanos)
            .build()
            .merge(config);
      }
    };
  }
}
