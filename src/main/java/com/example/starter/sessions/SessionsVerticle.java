package com.example.starter.sessions;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.Services;
import com.example.starter.config.AppConfig;
import com.example.starter.mongo.Mongo;
import com.example.starter.ops.SecurityEvents;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns the {@code sessions} collection; http and ws nodes reach it over the bus. */
public class SessionsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SessionsVerticle.class);

  private AppConfig settings;
  private MongoClient mongo;
  private long sweeper;

  @Override
  public Future<?> start() {
    settings = AppConfig.of(config());
    Services services = Mongo.services(vertx);
    return Mongo.connect(vertx, settings)
        .compose(
            client -> {
              mongo = client;
              Sessions sessions =
                  new Sessions(
                      mongo, vertx.eventBus(), new SecurityEvents(settings.metricsRegistry()));
              startSweeping(sessions);
              return sessions
                  .createIndexes()
                  .compose(
                      indexed ->
                          Future.all(
                              List.of(
                                  services.serve(Addresses.SESSIONS_GET, sessions::get),
                                  services.serve(Addresses.SESSIONS_PUT, sessions::put),
                                  services.serve(Addresses.SESSIONS_TOUCH, sessions::touch),
                                  services.serve(Addresses.SESSIONS_DELETE, sessions::delete),
                                  services.serve(
                                      Addresses.SESSIONS_END_ACCOUNT, sessions::endAccount),
                                  services.serve(Addresses.SESSIONS_CLEAR, sessions::clear),
                                  services.serve(Addresses.SESSIONS_SIZE, sessions::size),
                                  Mongo.serveHealth(vertx, Addresses.SESSIONS_HEALTH, mongo)
                                      .completion())));
            });
  }

  /** A background task: periodic, never blocking, gone with the verticle. */
  private void startSweeping(Sessions sessions) {
    long period = TimeUnit.SECONDS.toMillis(settings.sessionSweepSeconds());
    sweeper =
        vertx.setPeriodic(
            period,
            tick ->
                sessions
                    .sweep()
                    .onComplete(
                        removed -> LOG.debug("Swept {} expired sessions", removed),
                        failure ->
                            LOG.warn(
                                "Sweeping expired sessions failed: {}", failure.getMessage())));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    return mongo.close();
  }
}
