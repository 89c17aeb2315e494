package com.example.starter.startup;

import com.example.starter.accounts.AccountsVerticle;
import com.example.starter.config.AppConfig;
import com.example.starter.config.Role;
import com.example.starter.greetings.GreetingsVerticle;
import com.example.starter.mongo.EmbeddedMongoVerticle;
import com.example.starter.sessions.SessionsVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The first stages: the embedded database if this process runs it, then the roles that own data,
 * one verticle each, in parallel.
 */
public final class DataStage {

  private DataStage() {}

  /** The configuration, pointing at the embedded database if one was started. */
  public static Future<AppConfig> deploy(Vertx vertx, AppConfig config, Stages stages) {
    return embeddedMongo(vertx, config, stages)
        .compose(
            withDatabase ->
                stages
                    .inParallel(
                        Arrays.stream(Role.values())
                            .filter(withDatabase::has)
                            .map(DataStage::verticleOf)
                            .flatMap(Optional::stream)
                            .map(verticle -> Stages.deployOne(vertx, verticle, withDatabase))
                            .toList())
                    .map(withDatabase));
  }

  private static Future<AppConfig> embeddedMongo(Vertx vertx, AppConfig config, Stages stages) {
    if (!config.runsEmbeddedMongo()) {
      return Future.succeededFuture(config);
    }
    EmbeddedMongoVerticle mongo = new EmbeddedMongoVerticle();
    return stages
        .inParallel(
            List.of(
                vertx.deployVerticle(
                    mongo,
                    new DeploymentOptions()
                        .setConfig(config.json())
                        .setThreadingModel(ThreadingModel.WORKER))))
        .map(deployed -> config.withMongoUrl(mongo.connectionString()));
  }

  /**
   * The verticle a role deploys in this stage, one per process. The servers have a stage of their
   * own ({@link ServerStage}).
   */
  private static Optional<Supplier<? extends Deployable>> verticleOf(Role role) {
    return switch (role) {
      case ACCOUNTS -> Optional.of(AccountsVerticle::new);
      case SESSIONS -> Optional.of(SessionsVerticle::new);
      case GREETINGS -> Optional.of(GreetingsVerticle::new);
      case HTTP, WS, MONGO -> Optional.empty();
    };
  }
}
