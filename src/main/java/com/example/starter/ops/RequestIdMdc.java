package com.example.starter.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Logback runs this on the logging thread before each log call: it copies the request id of the
 * Vert.x context at hand into the MDC (a thread-local, which event loops would otherwise carry from
 * one request to the next), or clears it. Declared in logback.xml.
 */
public final class RequestIdMdc extends TurboFilter {

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    String id = RequestIds.current();
    if (id == null) {
      MDC.remove(RequestIds.MDC_KEY);
    } else {
      MDC.put(RequestIds.MDC_KEY, id);
    }
    return FilterReply.NEUTRAL;
  }
}
