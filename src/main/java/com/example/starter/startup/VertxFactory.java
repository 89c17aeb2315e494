package com.example.starter.startup;

import com.example.starter.cluster.Cluster;
import com.example.starter.config.AppConfig;
import com.example.starter.ops.Metrics;
import com.example.starter.ops.RequestIds;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ResourceLeakDetector;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A process's Vert.x instance: metrics, debug mode's checks, tracing, clustered or not. */
public final class VertxFactory {

  private static final Logger LOG = LoggerFactory.getLogger(VertxFactory.class);

  private VertxFactory() {}

  /** Reporting to the metrics registry {@code registryName}; spans to {@code tracing} if set. */
  public static Future<Vertx> create(
      AppConfig config, String registryName, OpenTelemetrySdk tracing) {
    VertxOptions options = new VertxOptions().setMetricsOptions(Metrics.options(registryName));
    if (config.debug()) {
      // Debug mode: say loudly what blocks a loop and what leaks, with where.
      options
          .setBlockedThreadCheckInterval(100)
          .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
          .setMaxEventLoopExecuteTime(100)
          .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
          .setWarningExceptionTime(100)
          .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }
    VertxBuilder builder = Vertx.builder().withMetrics(Metrics.factory());
    if (tracing != null) {
      // Spans for the HTTP server, the event bus, the web client and (mongo.TracedMongo) MongoDB.
      builder.withTracer(new OpenTelemetryTracingFactory(tracing));
    }
    Future<Vertx> vertx;
    if (config.cluster()) {
      options.setEventBusOptions(Cluster.eventBusOptions(config));
      vertx =
          builder.with(options).withClusterManager(Cluster.clusterManager(config)).buildClustered();
    } else {
      vertx = Future.succeededFuture(builder.with(options).build());
    }
    return vertx.map(
        started -> {
          started.exceptionHandler(VertxFactory::unhandled);
          RequestIds.install(started);
          return started;
        });
  }

  /**
   * A client that resets its connection or sends bytes no decoder takes is the client's affair: a
   * line at DEBUG, without a stack. Anything else is a bug: an ERROR with its stack.
   */
  private static void unhandled(Throwable failure) {
    if (failure instanceof IOException || failure instanceof DecoderException) {
      LOG.debug("A client connection failed: {}", failure.toString());
    } else {
      LOG.error("Unhandled exception on {}", Thread.currentThread().getName(), failure);
    }
  }
}
