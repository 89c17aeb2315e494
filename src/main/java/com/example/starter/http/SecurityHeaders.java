package com.example.starter.http;

import com.example.starter.config.AppConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CSPHandler;
import io.vertx.ext.web.handler.HSTSHandler;
import io.vertx.ext.web.handler.XFrameHandler;

/**
 * Headers that keep a browser from turning the page or the API against its user: a content security
 * policy (the page's own files only, websockets on the ws port; never in a frame), {@code nosniff},
 * no {@code Referer} (links carry tokens), no caching of API answers (they are someone's), and HSTS
 * when the cookie is {@code Secure}, that is behind HTTPS.
 */
final class SecurityHeaders {

  private SecurityHeaders() {}

  static void install(Router router, String apiPath, AppConfig config) {
    // CSPHandler starts from default-src 'self'; adding it again would repeat the source.
    router
        .route()
        .handler(
            CSPHandler.create()
                .addDirective("connect-src", "'self' " + webSocketSources(config))
                .addDirective("img-src", "'self' data:")
                .addDirective("object-src", "'none'")
                .addDirective("base-uri", "'none'")
                .addDirective("form-action", "'self'")
                .addDirective("frame-ancestors", "'none'"));
    router.route().handler(XFrameHandler.create(XFrameHandler.DENY));
    router
        .route()
        .handler(
            ctx -> {
              ctx.response()
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .putHeader("Referrer-Policy", "no-referrer");
              ctx.next();
            });
    router
        .route(apiPath)
        .handler(
            ctx -> {
              ctx.response().putHeader("Cache-Control", "no-store");
              ctx.next();
            });
    if (config.sessionCookieSecure()) {
      // A Secure cookie means HTTPS, ended at a proxy in front: vertx-web's HSTSHandler would wait
      // for a TLS connection to this server, which never comes.
      router
          .route()
          .handler(
              ctx -> {
                ctx.response()
                    .putHeader(
                        "Strict-Transport-Security", "max-age=" + HSTSHandler.DEFAULT_MAX_AGE);
                ctx.next();
              });
    }
  }

  /**
   * Where the page's websockets are: {@code WS_PUBLIC_URL}, or any host of this page on {@code
   * WS_PUBLIC_PORT}.
   */
  private static String webSocketSources(AppConfig config) {
    String publicUrl = config.wsPublicUrl();
    if (!publicUrl.isEmpty()) {
      return publicUrl;
    }
    int port = config.wsPortForBrowsers();
    return "ws://*:" + port + " wss://*:" + port;
  }
}
