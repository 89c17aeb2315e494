package com.example.starter.http;

import com.example.starter.bus.BusClient;
import com.example.starter.config.AppConfig;
import com.example.starter.ops.OpsRoutes;
import com.example.starter.sessions.BusSessionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The public HTTP API: what each path does, in the order a request meets it. */
public final class HttpRouter {

  public static final String API = "/api/*";

  /** The API's contract: served as it is, and every /api request is validated against it. */
  static final String CONTRACT = "openapi.yaml";

  /** The demo page's files, on the classpath. */
  static final String WEBROOT = "webroot";

  /** 32 random bytes: 256 bits, twice OWASP's minimum. */
  private static final int SESSION_ID_BYTES = 32;

  private HttpRouter() {}

  public static Future<Router> create(Vertx vertx, AppConfig config) {
    BusSessionStore store = BusSessionStore.create(vertx, config);
    return store
        .listening()
        .compose(listening -> OpenAPIContract.from(vertx, CONTRACT))
        .map(
            contract -> {
              BusClient bus = new BusClient(vertx.eventBus(), config.busTimeoutMs());
              SessionHandler sessions = sessionHandler(store, config);
              AccountsApi accounts = new AccountsApi(bus);
              Router router = Router.router(vertx);
              everyRequest(router, config);
              apiRequests(router, config, contract, sessions);
              plainRoutes(vertx, router, config, accounts);
              // After the plain routes: a request for one of them never walks the API's routes.
              router
                  .route("/*")
                  .subRouter(
                      api(vertx, contract, config, bus, accounts, new SessionApi(bus, sessions)));
              // The demo page's files: anywhere but under /api.
              router
                  .getWithRegex("/(?!api/).*")
                  .handler(webroot(config).setCachingEnabled(false).setDirectoryListing(false));
              ApiErrors.install(router);
              return router;
            });
  }

  /** The jar's webroot, or WEBROOT_DIR's files read on every request (the dev loop's edits). */
  private static StaticHandler webroot(AppConfig config) {
    if (config.webrootDir().isEmpty()) {
      return StaticHandler.create(WEBROOT);
    }
    return StaticHandler.create(
            FileSystemAccess.ROOT, Path.of(config.webrootDir()).toAbsolutePath().toString())
        .setFilesReadOnly(false);
  }

  /** What every request meets first: HEAD as GET, its id, the access log, security headers. */
  private static void everyRequest(Router router, AppConfig config) {
    // HEAD is GET without the body (RFC 9110): Vert.x leaves the body out for a HEAD request.
    router
        .route()
        .method(HttpMethod.HEAD)
        .handler(ctx -> ctx.reroute(HttpMethod.GET, ctx.request().uri()));
    router.route().handler(new RequestId());
    AccessLog accessLog = AccessLog.of(config.accessLog());
    if (accessLog != null) {
      router.route().handler(accessLog);
    }
    SecurityHeaders.install(router, API, config);
  }

  /**
   * What an /api request meets before its operation: JSON only, a bounded body, and a session where
   * the contract declares one (anonymous traffic elsewhere never touches the store).
   */
  private static void apiRequests(
      Router router, AppConfig config, OpenAPIContract contract, SessionHandler sessions) {
    JsonOnly.install(router, API);
    router.route(API).handler(BodyHandler.create(false).setBodyLimit(config.httpBodyLimitBytes()));
    ContractSecurity.install(router, contract, sessions);
  }

  /** The routes outside the contract: /hello, the contract itself, ops, the demo page's helpers. */
  private static void plainRoutes(
      Vertx vertx, Router router, AppConfig config, AccountsApi accounts) {
    router.get("/hello").handler(HttpRouter::hello);
    router
        .get("/" + CONTRACT)
        .handler(
            ctx -> ctx.response().putHeader("Content-Type", "application/yaml").sendFile(CONTRACT));
    ApiDocs.mount(router);
    if (config.managementPort() < 0) {
      OpsRoutes.mount(vertx, router, config);
    }
    // Where the demo page's websockets are.
    JsonObject pageConfig =
        new JsonObject()
            .put("wsUrl", config.wsPublicUrl())
            .put("wsPort", config.wsPortForBrowsers());
    router.get("/page-config.json").handler(ctx -> ctx.json(pageConfig));
    // Not under /api, where an unknown path must stay a 404 whatever the method.
    if (config.mailHost().isEmpty()) {
      router.get("/dev/mail").handler(accounts::keptMails);
    }
    // The page mailed links open: it takes the token out of the address bar and posts it.
    router.get("/verify").handler(ctx -> ctx.reroute("/link.html"));
    router.get("/reset").handler(ctx -> ctx.reroute("/link.html"));
  }

  /** The origin talk's hello, the cheapest answer: what the speed figures compare. */
  private static void hello(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("Hello, world");
  }

  /** The contract's operations, each validated against it and handed to its handler. */
  private static Router api(
      Vertx vertx,
      OpenAPIContract contract,
      AppConfig config,
      BusClient bus,
      AccountsApi accounts,
      SessionApi session) {
    RouterBuilder api = RouterBuilder.create(vertx, contract, OnceDecodedQuery.extractor());
    api.getRoute("register").addHandler(accounts::register);
    api.getRoute("verifyEmail").addHandler(accounts::verify);
    api.getRoute("resendVerification").addHandler(session::resendVerification);
    api.getRoute("requestPasswordReset").addHandler(accounts::requestReset);
    api.getRoute("confirmPasswordReset").addHandler(accounts::confirmReset);
    api.getRoute("login").addHandler(session::login);
    api.getRoute("logout").addHandler(session::logout);
    api.getRoute("me").addHandler(session::me);
    api.getRoute("logoutEverywhere").addHandler(session::logoutEverywhere);
    api.getRoute("changePassword").addHandler(session::changePassword);
    api.getRoute("deleteAccount").addHandler(session::deleteAccount);
    api.getRoute("upstreams").addHandler(new UpstreamsApi(vertx.eventBus(), config)::fetchAll);
    // The operations the contract hands to a role by its address.
    contract
        .operations()
        .forEach(
            operation ->
                BusOperations.address(operation)
                    .ifPresent(
                        address ->
                            api.getRoute(operation.getOperationId())
                                .addHandler(BusOperations.forwardTo(bus, address))));
    // vertx-openapi validates on a worker thread: for an operation that takes no input (logged-in
    // GET /api/me, the hot path) that is two thread hand-offs per request and a wait for a free
    // worker, to check nothing.
    contract.operations().stream()
        .filter(HttpRouter::takesNoInput)
        .forEach(operation -> api.getRoute(operation.getOperationId()).setDoValidation(false));
    // The contract's security was enforced before the sub-router (ContractSecurity).
    api.getRoutes().forEach(route -> route.setDoSecurity(false));
    return api.createRouter();
  }

  private static boolean takesNoInput(Operation operation) {
    return operation.getParameters().isEmpty() && operation.getRequestBody() == null;
  }

  private static SessionHandler sessionHandler(BusSessionStore store, AppConfig config) {
    return SessionHandler.create(store)
        .setSessionCookieName(BusSessionStore.COOKIE)
        .setSessionTimeout(TimeUnit.MINUTES.toMillis(config.sessionTimeoutMinutes()))
        .setMinLength(SESSION_ID_BYTES)
        .setLazySession(true)
        .setCookieHttpOnlyFlag(true)
        .setCookieSecureFlag(config.sessionCookieSecure())
        .setCookieSameSite(
            CookieSameSite.valueOf(config.sessionCookieSamesite().toUpperCase(Locale.ROOT)));
  }
}
