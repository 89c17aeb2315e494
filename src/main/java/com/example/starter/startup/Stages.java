package com.example.starter.startup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The deployment ids of a process, by start-up stage, so that it stops in the reverse order: the
 * servers first (they stop accepting and let requests in flight finish), then the roles that own
 * data, then the embedded database.
 */
public final class Stages {

  private final Vertx vertx;

  /** The latest stage first. */
  private final Deque<List<String>> stages = new ConcurrentLinkedDeque<>();

  public Stages(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Deploys a stage's verticles in parallel; the stage is recorded even if one fails. */
  Future<?> inParallel(List<Future<String>> deployments) {
    return Future.join(deployments)
        .andThen(
            done ->
                stages.push(
                    deployments.stream().filter(Future::succeeded).map(Future::result).toList()));
  }

  /** A stage whose verticles are deployed one after another: add each id as it comes. */
  List<String> oneByOne() {
    List<String> stage = new CopyOnWriteArrayList<>();
    stages.push(stage);
    return stage;
  }

  /** Every stage, the latest first, each stage's verticles in parallel. */
  public Future<?> undeploy() {
    Future<?> undeployed = Future.succeededFuture();
    for (List<String> stage : stages) {
      undeployed =
          undeployed.transform(
              previous -> Future.join(stage.stream().map(vertx::undeploy).toList()));
    }
    stages.clear();
    return undeployed;
  }
}
