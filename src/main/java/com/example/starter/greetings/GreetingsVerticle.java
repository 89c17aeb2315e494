package com.example.starter.greetings;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.Services;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The greetings role: answers {@link Addresses#GREETINGS_GREET} on the (possibly clustered) bus.
 */
public class GreetingsVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return Services.on(vertx)
        .serve(
            Addresses.GREETINGS_GREET, request -> Future.succeededFuture(Greetings.greet(request)));
  }
}
