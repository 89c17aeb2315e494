package com.example.starter.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * State-changing API requests must declare {@code application/json}, even without a body. A
 * cross-site HTML form can only send form or text types, so it can never pass this check (CSRF).
 */
final class JsonOnly {

  private static final Set<HttpMethod> STATE_CHANGING =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private JsonOnly() {}

  static void install(Router router, String path) {
    Route route = router.route(path);
    STATE_CHANGING.forEach(route::method);
    route.handler(JsonOnly::check);
  }

  private static void check(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null
        && type.toLowerCase(Locale.ROOT).split(";", 2)[0].trim().equals("application/json")) {
      ctx.next();
    } else {
      ctx.fail(415);
    }
  }
}
