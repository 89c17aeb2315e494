package com.example.starter.startup;

import com.example.starter.config.AppConfig;
import com.example.starter.config.Role;
import com.example.starter.mongo.EmbeddedMongoVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
                            .map(Role::verticle)
                            .flatMap(Optional::stream)
                            .map(
                                verticle ->
                                    vertx.deployVerticle(
                                        verticle,
                                        new DeploymentOptions()
                                            .setConfig(withDatabase.json())
                                            // This code's loader, not the thread's: under the
                                            // dev loop each reload loads the classes anew.
                                            .setClassLoader(DataStage.class.getClassLoader())))
                            .toList())
                    .map(withDatabase));
  }

  /**
   * The embedded database if the configuration asks for one, and the configuration pointing at it.
   */
  public static Future<AppConfig> embeddedMongo(Vertx vertx, AppConfig config, Stages stages) {
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
}
