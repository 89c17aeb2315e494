package com.example.starter;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;

/**
 * Holds every {@code /api} answer a test's client receives to {@code openapi.yaml}: its status must
 * be declared for its operation, its body must match the declared schema, and an answer declared
 * without content must have none. A violation fails the request, and so the test, with the reason:
 * the contract and the code cannot drift apart unseen. Unknown paths and methods (404, 405) have no
 * operation; their body must still be the error shape.
 */
public final class ApiContract implements Handler<HttpContext<?>> {

  private static final String API = "/api/";

  private final Vertx vertx;

  /**
   * Read at the first /api answer: a test that never gets one closes Vert.x without a read under
   * way.
   */
  private Future<Loaded> contract;

  /** The contract, and its response validator, made once. */
  private record Loaded(OpenAPIContract api, ResponseValidator validator) {}

  private ApiContract(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A web client whose /api answers are checked. */
  public static WebClient webClient(Vertx vertx) {
    return webClient(vertx, new WebClientOptions());
  }

  public static WebClient webClient(Vertx vertx, WebClientOptions options) {
    return webClient(vertx, options, new PoolOptions());
  }

  public static WebClient webClient(Vertx vertx, WebClientOptions options, PoolOptions pool) {
    return WebClient.create(vertx, options, pool).addInterceptor(new ApiContract(vertx));
  }

  @Override
  public void handle(HttpContext<?> ctx) {
    if (ctx.phase() != ClientPhase.DISPATCH_RESPONSE || !ctx.request().uri().startsWith(API)) {
      ctx.next();
      return;
    }
    HttpMethod method = ctx.request().method();
    String path = ctx.request().uri().replaceFirst("[?#].*", "");
    HttpResponse<?> response = ctx.response();
    if (contract == null) {
      contract =
          OpenAPIContract.from(vertx, "openapi.yaml")
              .map(api -> new Loaded(api, ResponseValidator.create(vertx, api)));
    }
    contract
        .compose(loaded -> check(loaded, method, path, response))
        .onSuccess(checked -> ctx.next())
        .onFailure(
            violation ->
                ctx.fail(
                    new AssertionError(
                        method
                            + " "
                            + path
                            + " answered "
                            + response.statusCode()
                            + " "
                            + body(response)
                            + ", against openapi.yaml: "
                            + violation.getMessage(),
                        violation)));
  }

  private static Future<?> check(
      Loaded contract, HttpMethod method, String path, HttpResponse<?> response) {
    Operation operation = contract.api().findOperation(path, method);
    Buffer body = body(response);
    String contentType = mediaType(response.getHeader("Content-Type"));
    if (operation == null) {
      int status = response.statusCode();
      boolean errorShape =
          status >= 400
              && "application/json".equals(contentType)
              && body.toJsonObject().containsKey("error")
              && body.toJsonObject().containsKey("message");
      return (status == 404 || status == 405) && errorShape
          ? Future.succeededFuture()
          : Future.failedFuture("no operation for this method and path");
    }
    Response declared = operation.getResponse(response.statusCode());
    if (declared != null && declared.getContent().isEmpty() && body.length() > 0) {
      return Future.failedFuture(
          "status "
              + response.statusCode()
              + " of "
              + operation.getOperationId()
              + " is declared without a body");
    }
    ValidatableResponse answer =
        body.length() == 0
            ? ValidatableResponse.create(response.statusCode())
            : ValidatableResponse.create(response.statusCode(), body, contentType);
    return contract.validator().validate(answer, operation.getOperationId());
  }

  private static Buffer body(HttpResponse<?> response) {
    Object body = response.body();
    if (body instanceof Buffer buffer) {
      return buffer;
    }
    if (body instanceof JsonObject json) {
      return json.toBuffer();
    }
    if (body instanceof JsonArray json) {
      return json.toBuffer();
    }
    return Buffer.buffer();
  }

  private static String mediaType(String contentType) {
    return contentType == null ? null : contentType.replaceFirst(";.*", "").trim();
  }
}
