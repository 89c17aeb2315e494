package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract check itself: it must refuse what the contract does not say. */
@ExtendWith(VertxExtension.class)
class ApiContractTest {

  private static int serve(Vertx vertx, Consumer<HttpServerRequest> answer) {
    return vertx
        .createHttpServer()
        .requestHandler(answer::accept)
        .listen(0, "127.0.0.1")
        .await()
        .actualPort();
  }

  /** A server that answers every request with this status and JSON body. */
  private static int serveJson(Vertx vertx, int status, String json) {
    return serve(
        vertx,
        request ->
            request
                .response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(json));
  }

  @Test
  void aDeclaredAnswerPasses(Vertx vertx) {
    int port = serveJson(vertx, 201, "{\"login\":\"alice\"}");
    WebClient web = ApiContract.webClient(vertx);
    assertThat(web.post(port, "127.0.0.1", "/api/accounts").send().await().statusCode())
        .isEqualTo(201);
  }

  @Test
  void anUndeclaredStatusFails(Vertx vertx) {
    int port = serveJson(vertx, 418, "{\"error\":\"teapot\",\"message\":\"no\"}");
    WebClient web = ApiContract.webClient(vertx);
    assertThatThrownBy(() -> web.post(port, "127.0.0.1", "/api/accounts").send().await())
        .hasMessageContaining("418")
        .hasMessageContaining("register");
  }

  @Test
  void aBodyThatBreaksItsSchemaFails(Vertx vertx) {
    int port = serveJson(vertx, 201, "{\"name\":\"alice\"}");
    WebClient web = ApiContract.webClient(vertx);
    assertThatThrownBy(() -> web.post(port, "127.0.0.1", "/api/accounts").send().await())
        .hasMessageContaining("openapi.yaml");
  }

  @Test
  void aBodyWhereNoneIsDeclaredFails(Vertx vertx) {
    int quiet = serve(vertx, request -> request.response().setStatusCode(202).end());
    int chatty = serve(vertx, request -> request.response().setStatusCode(202).end("sent"));
    WebClient web = ApiContract.webClient(vertx);
    assertThat(web.post(quiet, "127.0.0.1", "/api/password-reset").send().await().statusCode())
        .isEqualTo(202);
    assertThatThrownBy(() -> web.post(chatty, "127.0.0.1", "/api/password-reset").send().await())
        .hasMessageContaining("declared without a body");
  }

  @Test
  void aPathInNoOperationFailsUnlessItIsThe404OrThe405(Vertx vertx) {
    int port =
        serve(
            vertx,
            request ->
                request
                    .response()
                    .setStatusCode(request.path().endsWith("missing") ? 404 : 200)
                    .putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"not_found\",\"message\":\"no such path\"}"));
    WebClient web = ApiContract.webClient(vertx);
    assertThat(web.get(port, "127.0.0.1", "/api/missing").send().await().statusCode())
        .isEqualTo(404);
    assertThatThrownBy(() -> web.get(port, "127.0.0.1", "/api/undeclared").send().await())
        .hasMessageContaining("no operation");
  }
}
