package com.example.starter.http;

import com.example.starter.bus.Failures;
import com.example.starter.sessions.BusSessionStore;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.SecurityRequirement;
import java.util.List;
import java.util.Set;

/**
 * Who may call an operation, as the contract declares it with the {@code session} security scheme,
 * enforced here and nowhere else. Vert.x's own security handlers take credentials an authentication
 * provider can check; a server-side session is looked up by the session handler instead, so the
 * operations' routes are built without them ({@code setDoSecurity(false)}) and this runs first,
 * before the input is validated, as Vert.x orders them.
 */
final class ContractSecurity {

  /** The security scheme of {@code openapi.yaml} that stands for the session cookie. */
  static final String SCHEME = "session";

  /** What an operation's {@code security} says. */
  enum Access {
    /** {@code security: []}: public; the request never touches the session store. */
    PUBLIC,
    /** {@code - {}} beside {@code - session: []}: the session if there is one (log in, out). */
    SESSION,
    /**
     * {@code - session: []} alone, or nothing said (the contract's default): 401 without a
     * logged-in session.
     */
    LOGIN;

    static Access of(Operation operation) {
      List<SecurityRequirement> requirements = operation.getSecurityRequirements();
      if (requirements == null || requirements.isEmpty()) {
        return PUBLIC;
      }
      boolean anonymous = false;
      for (SecurityRequirement requirement : requirements) {
        if (requirement.isEmpty()) {
          anonymous = true;
        } else if (!requirement.getNames().equals(Set.of(SCHEME))) {
          throw new IllegalStateException(
              operation.getOperationId()
                  + " declares "
                  + requirement.getNames()
                  + "; this router knows the "
                  + SCHEME
                  + " scheme only");
        }
      }
      return anonymous ? SESSION : LOGIN;
    }
  }

  private ContractSecurity() {}

  /** The session, and for {@link Access#LOGIN} the login check, on each operation that asks. */
  static void install(Router router, OpenAPIContract contract, SessionHandler sessions) {
    for (Operation operation : contract.operations()) {
      Access access = Access.of(operation);
      if (access == Access.PUBLIC) {
        continue;
      }
      Route route = router.route(operation.getHttpMethod(), vertxPath(operation.getOpenAPIPath()));
      route.handler(sessions);
      if (access == Access.LOGIN) {
        route.handler(ContractSecurity::requireLogin);
      }
    }
  }

  private static void requireLogin(RoutingContext ctx) {
    if (ctx.session().get(BusSessionStore.LOGIN) == null) {
      ApiErrors.send(ctx, Failures.UNAUTHORIZED, "not logged in");
    } else {
      ctx.next();
    }
  }

  /** {@code /api/items/{id}} is {@code /api/items/:id} to a vertx-web router. */
  private static String vertxPath(String openApiPath) {
    return openApiPath.replaceAll("\\{([^}/]+)}", ":$1");
  }
}
