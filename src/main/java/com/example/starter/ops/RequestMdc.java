package com.example.starter.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Logback runs this on the logging thread before each log call: it copies the request id and, when
 * tracing is on, the trace id of the Vert.x context at hand into the MDC (a thread-local, which
 * event loops would otherwise carry from one request to the next), or clears them. Declared in
 * logback.xml.
 */
public final class RequestMdc extends TurboFilter {

  /** The MDC key: {@code %X{traceId}} in text logs, {@code mdc.traceId} in JSON ones. */
  public static final String TRACE_ID = "traceId";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // Logback asks before every level check too (isDebugEnabled, ...), and Micrometer makes one per
    // HTTP request: nothing to do for what the logger's level drops anyway.
    if (logger != null && level != null && !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL;
    }
    put(RequestIds.MDC_KEY, RequestIds.current());
    // The span of the Vert.x context at hand: vertx-opentelemetry keeps OpenTelemetry's context
    // there.
    SpanContext span = Span.current().getSpanContext();
    put(TRACE_ID, span.isValid() ? span.getTraceId() : null);
    return FilterReply.NEUTRAL;
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
