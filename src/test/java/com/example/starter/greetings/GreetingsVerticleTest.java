package com.example.starter.greetings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.starter.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The greetings role alone, asked over the bus as the http role asks it. */
@ExtendWith(VertxExtension.class)
class GreetingsVerticleTest {

  @BeforeEach
  void deploy(Vertx vertx) {
    vertx.deployVerticle(new GreetingsVerticle()).await();
  }

  private static JsonObject greet(Vertx vertx, Object name) {
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.GREETINGS_GREET, new JsonObject().put("name", name))
        .await()
        .body();
  }

  @Test
  void aNameIsGreeted(Vertx vertx) {
    assertThat(greet(vertx, " Ada ")).isEqualTo(new JsonObject().put("greeting", "Hello, Ada!"));
  }

  @Test
  void aBlankNameOrOneThatIsNoStringIsA400(Vertx vertx) {
    for (Object name : new Object[] {" ", 42, null}) {
      assertThatThrownBy(() -> greet(vertx, name))
          .isInstanceOfSatisfying(
              ReplyException.class, refused -> assertThat(refused.failureCode()).isEqualTo(400))
          .hasMessageContaining("non-blank string");
    }
  }

  @Test
  void aNameIsCountedInCharactersNotUtf16Units(Vertx vertx) {
    assertThat(greet(vertx, "😀".repeat(Greetings.MAX_NAME_LENGTH)).getString("greeting"))
        .contains("😀");
    assertThatThrownBy(() -> greet(vertx, "a".repeat(Greetings.MAX_NAME_LENGTH + 1)))
        .hasMessageContaining("at most 64 characters");
  }
}
