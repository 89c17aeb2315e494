package com.example.starter.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import org.webjars.WebJarVersionLocator;

/**
 * The interactive API page: Swagger UI from its webjar at {@link #PATH}, reading {@code
 * /openapi.yaml}. "Try it out" sends real requests from the page, with its cookie.
 */
final class ApiDocs {

  static final String PATH = "/api-docs/";
  private static final String WEBJAR = "swagger-ui";

  private ApiDocs() {}

  static void mount(Router router) {
    String version = new WebJarVersionLocator().version(WEBJAR);
    // Without the slash, the page's relative links would point outside it.
    router
        .get(PATH + "*")
        .handler(
            ctx -> {
              if (ctx.request().path().length() < PATH.length()) {
                ctx.redirect(PATH);
              } else {
                ctx.next();
              }
            });
    router
        .get(PATH + "swagger-initializer.js")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/javascript; charset=utf-8")
                    .sendFile("api-docs/swagger-initializer.js"));
    router
        .get(PATH + "*")
        .handler(
            StaticHandler.create("META-INF/resources/webjars/" + WEBJAR + "/" + version)
                .setDirectoryListing(false));
  }
}
