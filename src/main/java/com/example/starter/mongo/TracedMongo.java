package com.example.starter.mongo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.mongo.MongoClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A span per MongoDB call, through the Vert.x tracer as its own SQL clients report theirs: the
 * Vert.x MongoDB client reports none. Only calls made while a traced request is handled get one
 * (the policy is to propagate, not to start traces), named after the client's method, with the
 * OpenTelemetry database attributes.
 */
final class TracedMongo {

  private TracedMongo() {}

  /** The client itself when Vert.x has no tracer: nothing is added to a call then. */
  static MongoClient wrap(MongoClient client, Vertx vertx, String database) {
    VertxTracer<?, ?> tracer = ((VertxInternal) vertx).tracer();
    if (tracer == null) {
      return client;
    }
    return (MongoClient)
        Proxy.newProxyInstance(
            MongoClient.class.getClassLoader(),
            new Class<?>[] {MongoClient.class},
            (proxy, method, args) -> call(tracer, client, database, method, args));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object call(
      VertxTracer tracer, MongoClient client, String database, Method method, Object[] args)
      throws Throwable {
    ContextInternal current = ContextInternal.current();
    if (current == null || method.getReturnType() != Future.class) {
      return invoke(client, method, args);
    }
    Call call = Call.of(method.getName(), collection(args), database);
    Object span =
        tracer.sendRequest(
            current,
            SpanKind.RPC,
            TracingPolicy.PROPAGATE,
            call,
            call.operation(),
            (name, value) -> {},
            Call.TAGS);
    Future<?> answer = (Future<?>) invoke(client, method, args);
    if (span == null) {
      return answer;
    }
    return answer.andThen(
        ended -> tracer.receiveResponse(current, null, span, ended.cause(), TagExtractor.empty()));
  }

  private static Object invoke(MongoClient client, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(client, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Every collection operation of the client takes the collection's name first. */
  private static String collection(Object[] args) {
    return args != null && args.length > 0 && args[0] instanceof String name ? name : null;
  }

  /** One call, as its span's attributes describe it: names and values, alternately. */
  record Call(String operation, List<String> tags) {

    static Call of(String operation, String collection, String database) {
      List<String> tags =
          new ArrayList<>(
              List.of(
                  "db.system",
                  "mongodb",
                  "db.namespace",
                  database,
                  "db.operation.name",
                  operation));
      if (collection != null) {
        tags.addAll(List.of("db.collection.name", collection));
      }
      return new Call(operation, tags);
    }

    static final TagExtractor<Call> TAGS =
        new TagExtractor<>() {
          @Override
          public int len(Call call) {
            return call.tags().size() / 2;
          }

          @Override
          public String name(Call call, int index) {
            return call.tags().get(2 * index);
          }

          @Override
          public String value(Call call, int index) {
            return call.tags().get(2 * index + 1);
          }
        };
  }
}
