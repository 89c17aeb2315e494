package com.example.starter.ops;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * OpenTelemetry traces, off unless the standard {@code OTEL_*} variables ask for them: an OTLP
 * endpoint, or a traces exporter other than {@code none}. The SDK then reads every other {@code
 * OTEL_*} variable itself (service name, sampler, headers, ...).
 */
public final class Tracing {

  /**
   * What differs from the SDK's own defaults, which the variables still override: only traces (the
   * metrics are Prometheus's), and OTLP over HTTP, the transport the JDK's client speaks.
   */
  private static final Map<String, String> DEFAULTS =
      Map.of(
          "otel.metrics.exporter", "none",
          "otel.logs.exporter", "none",
          "otel.exporter.otlp.protocol", "http/protobuf",
          "otel.service.name", "starter");

  private Tracing() {}

  /** The SDK the variables describe, or null when they leave tracing off. */
  public static OpenTelemetrySdk fromEnvironment() {
    if (!enabled(Tracing::variable)) {
      return null;
    }
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> DEFAULTS)
        // The application ends the SDK itself, after Vert.x: the last spans are sent, not lost.
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
  }

  /** From {@code otel.*} names looked up in {@code settings}. */
  static boolean enabled(UnaryOperator<String> settings) {
    if ("true".equalsIgnoreCase(settings.apply("otel.sdk.disabled"))) {
      return false;
    }
    String exporter = settings.apply("otel.traces.exporter");
    if (exporter != null && !exporter.isBlank()) {
      return !exporter.trim().equals("none");
    }
    return isSet(settings.apply("otel.exporter.otlp.endpoint"))
        || isSet(settings.apply("otel.exporter.otlp.traces.endpoint"));
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  /** {@code otel.a.b} as a system property, else as {@code OTEL_A_B} in the environment. */
  private static String variable(String name) {
    String property = System.getProperty(name);
    return property != null
        ? property
        : System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'));
  }
}
