package com.example.starter.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.starter.Application;
import com.example.starter.LogCapture;
import com.example.starter.RunningApp;
import com.example.starter.bus.Addresses;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tracing on, in one process, with the SDK's in-memory exporter: what a trace of a login holds. The
 * same across two processes, through a real OTLP receiver: {@code SplitDeploymentIT}.
 */
class TracingTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLERS_SPAN = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CALLERS_SPAN + "-01";
  private static final JsonObject ALICE =
      new JsonObject().put("login", "alice").put("password", "correct horse");
  private static final AttributeKey<String> BUS_ADDRESS =
      AttributeKey.stringKey("messaging.destination.name");
  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  private static final AttributeKey<String> DB_COLLECTION =
      AttributeKey.stringKey("db.collection.name");

  @RegisterExtension final RunningApp running = RunningApp.perTest();

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private WebClient web;
  private Application app;

  private void startTraced() {
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    app = running.start(settings -> settings, sdk);
    web = running.web();
  }

  private List<SpanData> trace(String traceId) {
    return spans.getFinishedSpanItems().stream()
        .filter(span -> span.getTraceId().equals(traceId))
        .toList();
  }

  @Test
  void aLoginIsOneTraceFromTheCallersSpanThroughTheBusToTheDatabase() {
    startTraced();
    web.post(app.httpPort(), "127.0.0.1", "/api/accounts").sendJsonObject(ALICE).await();

    try (LogCapture events = LogCapture.ofEverything(SecurityEvents.class)) {
      int status =
          web.post(app.httpPort(), "127.0.0.1", "/api/session")
              .putHeader("traceparent", TRACEPARENT)
              .sendJsonObject(ALICE)
              .await()
              .statusCode();
      assertThat(status).isEqualTo(200);
      assertThat(events.messagesWithMdc(RequestMdc.TRACE_ID))
          .contains("login: done, login alice, client 127.0.0.1 [" + TRACE_ID + "]");
    }

    await("the login's spans, from the HTTP server to the database")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                trace(TRACE_ID).stream().anyMatch(span -> span.getKind() == SpanKind.SERVER)
                    && trace(TRACE_ID).stream()
                        .anyMatch(
                            span -> "accounts".equals(span.getAttributes().get(DB_COLLECTION)))
                    && trace(TRACE_ID).stream()
                        .anyMatch(
                            span -> "sessions".equals(span.getAttributes().get(DB_COLLECTION))));
    List<SpanData> login = trace(TRACE_ID);
    SpanData server =
        login.stream()
            .filter(span -> span.getParentSpanId().equals(CALLERS_SPAN))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no span is the caller's child: " + login));
    assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
    // The bus request to the accounts role, from the HTTP request, and its handling there.
    assertThat(login)
        .anyMatch(
            span ->
                span.getKind() == SpanKind.CLIENT
                    && span.getParentSpanId().equals(server.getSpanId())
                    && Addresses.ACCOUNTS_AUTHENTICATE.equals(
                        span.getAttributes().get(BUS_ADDRESS)));
    assertThat(login)
        .filteredOn(span -> "mongodb".equals(span.getAttributes().get(DB_SYSTEM)))
        .allMatch(span -> span.getKind() == SpanKind.CLIENT)
        .extracting(span -> span.getAttributes().get(DB_COLLECTION))
        .contains("accounts", "sessions");
  }

  @Test
  void anOutboundCallCarriesTheTraceToTheUpstream() {
    startTraced();
    // The default upstreams are this process's own /hello and /health/ready.
    int status =
        web.get(app.httpPort(), "127.0.0.1", "/api/upstreams")
            .putHeader("traceparent", TRACEPARENT)
            .send()
            .await()
            .statusCode();
    assertThat(status).isEqualTo(200);

    await("the upstream's own server span in the caller's trace")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                trace(TRACE_ID).stream()
                    .anyMatch(
                        span ->
                            span.getKind() == SpanKind.SERVER
                                && !span.getParentSpanId().equals(CALLERS_SPAN)));
    List<SpanData> call = trace(TRACE_ID);
    SpanData upstreamServer =
        call.stream()
            .filter(
                span ->
                    span.getKind() == SpanKind.SERVER
                        && !span.getParentSpanId().equals(CALLERS_SPAN))
            .findFirst()
            .orElseThrow();
    SpanData outbound =
        call.stream()
            .filter(span -> span.getSpanId().equals(upstreamServer.getParentSpanId()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the upstream's parent is not in the trace"));
    assertThat(outbound.getKind()).isEqualTo(SpanKind.CLIENT);
  }

  @Test
  void offUnlessAnEndpointOrAnExporterIsNamed() {
    assertThat(Tracing.enabled(Map.<String, String>of()::get)).isFalse();
    assertThat(Tracing.enabled(Map.of("otel.exporter.otlp.endpoint", "")::get)).isFalse();
    assertThat(Tracing.enabled(Map.of("otel.traces.exporter", "none")::get)).isFalse();
    assertThat(
            Tracing.enabled(
                Map.of(
                        "otel.exporter.otlp.endpoint", "http://collector:4318",
                        "otel.sdk.disabled", "true")
                    ::get))
        .isFalse();
    assertThat(Tracing.enabled(Map.of("otel.exporter.otlp.endpoint", "http://collector:4318")::get))
        .isTrue();
    assertThat(
            Tracing.enabled(
                Map.of("otel.exporter.otlp.traces.endpoint", "http://collector:4318/v1/traces")
                    ::get))
        .isTrue();
    assertThat(Tracing.enabled(Map.of("otel.traces.exporter", "console")::get)).isTrue();
  }
}
