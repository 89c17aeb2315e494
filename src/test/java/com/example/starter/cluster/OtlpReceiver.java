package com.example.starter.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An OTLP/HTTP trace receiver, as a collector is one: the spans processes export to it, decoded
 * with OpenTelemetry's own protocol classes. Real processes cannot share an in-memory exporter.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One span as received: its trace, the service that sent it, and its string attributes. */
  record ReceivedSpan(
      String traceId, String service, String name, Map<String, String> attributes) {}

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

  OtlpReceiver(String host) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, 0), 0);
    server.createContext("/v1/traces", this::receive);
    server.start();
  }

  /** What {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set to. */
  String endpoint() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  List<ReceivedSpan> trace(String traceId) {
    return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange) {
      ExportTraceServiceRequest request =
          ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
      for (ResourceSpans resource : request.getResourceSpansList()) {
        String service = strings(resource.getResource().getAttributesList()).get("service.name");
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          for (Span span : scope.getSpansList()) {
            spans.add(
                new ReceivedSpan(
                    HexFormat.of().formatHex(span.getTraceId().toByteArray()),
                    service,
                    span.getName(),
                    strings(span.getAttributesList())));
          }
        }
      }
      // An empty ExportTraceServiceResponse: everything accepted.
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    }
  }

  private static Map<String, String> strings(List<KeyValue> attributes) {
    return attributes.stream()
        .filter(attribute -> attribute.getValue().hasStringValue())
        .collect(
            Collectors.toMap(
                KeyValue::getKey, attribute -> attribute.getValue().getStringValue(), (a, b) -> a));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
