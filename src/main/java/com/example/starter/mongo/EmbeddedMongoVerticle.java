package com.example.starter.mongo;

import com.example.starter.config.AppConfig;
import de.bwaldvogel.mongo.MongoServer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Mongo-compatible database (mongo-java-server on an H2 file in {@code DATA_DIR}),
 * listening on loopback by default. Deploy it as a worker: opening and closing the file blocks.
 */
public class EmbeddedMongoVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongoVerticle.class);
  static final String FILE_NAME = "starter.mv";

  private volatile MongoServer server;

  @Override
  public Future<?> start() throws IOException {
    AppConfig settings = AppConfig.of(config());
    Path dataDir = Path.of(settings.dataDir());
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    server = new MongoServer(new EmbeddedH2Backend(file.toString()));
    server.bind(settings.embeddedMongoHost(), settings.embeddedMongoPort());
    LOG.info("Embedded MongoDB at {} with data in {}", connectionString(), file.toAbsolutePath());
    return Future.succeededFuture();
  }

  /** Closing commits the file. Clients should be closed first: the server waits for them. */
  @Override
  public Future<?> stop() {
    server.shutdownNow();
    LOG.info("Embedded MongoDB stopped");
    return Future.succeededFuture();
  }

  public String connectionString() {
    return server.getConnectionString();
  }
}
