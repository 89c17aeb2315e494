package com.example.starter.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.validation.RequestUtils;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What the OpenAPI router validates, with each query value percent-decoded once. vertx-openapi
 * 5.0.7 decodes the values Vert.x has already decoded a second time (eclipse-vertx/vertx-openapi
 * issues 117 and 124): {@code ?name=%25} failed with a 500 and {@code ?name=%2541} was validated as
 * {@code A}. Its extractor is handed the values encoded again, which its second decoding undoes.
 */
final class OnceDecodedQuery extends HttpServerRequestWrapper {

  private OnceDecodedQuery(HttpServerRequestInternal request) {
    super(request);
  }

  /** The extractor for a router whose API routes have a {@code BodyHandler}. */
  static RequestExtractor extractor() {
    return (ctx, operation) ->
        RequestUtils.extract(
            new OnceDecodedQuery((HttpServerRequestInternal) ctx.request()),
            operation,
            () -> Future.succeededFuture(ctx.body().buffer()));
  }

  @Override
  public MultiMap params(boolean semicolonIsNormalChar) {
    MultiMap encodedAgain = MultiMap.caseInsensitiveMultiMap();
    delegate
        .params(semicolonIsNormalChar)
        .forEach(
            param ->
                encodedAgain.add(
                    param.getKey(), URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8)));
    return encodedAgain;
  }
}
