package com.example.starter.ops;

import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/** Vert.x metrics into a Prometheus registry of its own, scraped at {@link OpsRoutes#METRICS}. */
public final class Metrics {

  private Metrics() {
  }

  /** Each Vert.x instance gets its own registry name: registries are looked up by name, JVM-wide. */
  public static MicrometerMetricsOptions options(String registryName) {
    return new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      .setRegistryName(registryName)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }
}
