package com.example.starter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.LogCapture;
import de.bwaldvogel.mongo.MongoServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database's patches: which filters its indexes answer, and the report of those they
 * do not.
 */
@ExtendWith(VertxExtension.class)
class EmbeddedH2BackendTest {

  @TempDir Path dataDir;

  private Vertx vertx;
  private MongoServer server;
  private MongoClient mongo;
  private LogCapture scans;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    scans = LogCapture.of(ScanReport.class);
    open();
  }

  private void open() {
    server = new MongoServer(new EmbeddedH2Backend(dataDir.resolve("test.mv").toString()));
    server.bind("127.0.0.1", 0);
    mongo =
        MongoClient.create(
            vertx,
            new JsonObject()
                .put("connection_string", server.getConnectionString())
                .put("db_name", "test"));
  }

  private void reopen() {
    mongo.close().await();
    server.shutdownNow();
    open();
  }

  @AfterEach
  void stop() {
    scans.close();
    mongo.close().await();
    server.shutdownNow();
  }

  /** How many sessions an update of session a from version 1 to {@code version} matched. */
  private long versionFromOneTo(int version) {
    return mongo
        .updateCollection(
            "sessions",
            new JsonObject().put("_id", "a").put("version", 1),
            new JsonObject().put("$set", new JsonObject().put("version", version)))
        .await()
        .getDocMatched();
  }

  private List<String> ids(String collection, JsonObject filter) {
    return mongo.find(collection, filter).await().stream()
        .map(document -> document.getString("_id"))
        .sorted()
        .toList();
  }

  private static JsonObject op(String operator, Object value) {
    return new JsonObject().put(operator, value);
  }

  @Test
  void aFilterThatPinsTheIdAmongOtherFieldsIsAnsweredFromTheIdIndex() {
    mongo
        .insert("sessions", new JsonObject().put("_id", "a").put("version", 1).put("n", 5))
        .await();
    mongo
        .insert("sessions", new JsonObject().put("_id", "b").put("version", 2).put("n", 5))
        .await();

    assertThat(ids("sessions", new JsonObject().put("_id", "a").put("version", 1)))
        .containsExactly("a");
    assertThat(ids("sessions", new JsonObject().put("_id", "a").put("version", 2))).isEmpty();
    assertThat(ids("sessions", new JsonObject().put("_id", "b").put("n", op("$gt", 4))))
        .containsExactly("b");
    assertThat(
            ids(
                "sessions",
                new JsonObject()
                    .put("_id", op("$in", new JsonArray().add("a").add("b")))
                    .put("n", 5)))
        .containsExactly("a", "b");
    assertThat(versionFromOneTo(3)).isEqualTo(1);
    assertThat(versionFromOneTo(4)).isZero();
    assertThat(scans.messages()).isEmpty();
  }

  @Test
  void aUniqueSecondaryKeyPinnedAmongOtherFieldsIsAnIndexLookupToo() {
    mongo
        .createIndexWithOptions(
            "accounts", new JsonObject().put("loginKey", 1), new IndexOptions().unique(true))
        .await();
    mongo
        .insert(
            "accounts",
            new JsonObject().put("_id", "1").put("loginKey", "alice").put("verified", true))
        .await();

    assertThat(ids("accounts", new JsonObject().put("loginKey", "alice").put("verified", true)))
        .containsExactly("1");
    assertThat(ids("accounts", new JsonObject().put("loginKey", "alice").put("verified", false)))
        .isEmpty();
    assertThat(scans.messages()).isEmpty();
  }

  @Test
  void aNonUniqueIndexAnswersEqualityInAndRangesAndFollowsWritesAndRestarts() {
    mongo
        .createIndexWithOptions(
            "sessions", new JsonObject().put("expiresAt", 1), new IndexOptions())
        .await();
    for (int i = 1; i <= 5; i++) {
      mongo
          .insert(
              "sessions",
              new JsonObject()
                  .put("_id", "s" + i)
                  .put("expiresAt", i)
                  .put("account", i % 2 == 0 ? "even" : "odd"))
          .await();
    }
    mongo.insert("sessions", new JsonObject().put("_id", "none")).await();

    assertThat(ids("sessions", new JsonObject().put("expiresAt", op("$lte", 2))))
        .containsExactly("s1", "s2");
    assertThat(ids("sessions", new JsonObject().put("expiresAt", op("$gt", 3))))
        .containsExactly("s4", "s5");
    assertThat(
            ids(
                "sessions",
                new JsonObject().put("expiresAt", new JsonObject().put("$gte", 2).put("$lt", 4))))
        .containsExactly("s2", "s3");
    assertThat(ids("sessions", new JsonObject().put("expiresAt", 3))).containsExactly("s3");
    assertThat(ids("sessions", new JsonObject().put("expiresAt", 3.0)))
        .as("numbers compare as numbers")
        .containsExactly("s3");
    assertThat(
            ids(
                "sessions",
                new JsonObject().put("expiresAt", op("$in", new JsonArray().add(1).add(5)))))
        .containsExactly("s1", "s5");
    assertThat(
            ids(
                "sessions",
                new JsonObject().put("expiresAt", op("$lte", 4)).put("account", "even")))
        .containsExactly("s2", "s4");

    mongo
        .updateCollection(
            "sessions",
            new JsonObject().put("_id", "s1"),
            new JsonObject().put("$set", new JsonObject().put("expiresAt", 10)))
        .await();
    mongo.removeDocument("sessions", new JsonObject().put("_id", "s2")).await();
    mongo
        .updateCollectionWithOptions(
            "sessions",
            new JsonObject().put("_id", "s6"),
            new JsonObject().put("$set", new JsonObject().put("expiresAt", 0)),
            new UpdateOptions().setUpsert(true))
        .await();
    assertThat(ids("sessions", new JsonObject().put("expiresAt", op("$lte", 2))))
        .containsExactly("s6");
    assertThat(ids("sessions", new JsonObject().put("expiresAt", op("$gte", 10))))
        .containsExactly("s1");

    reopen();
    assertThat(ids("sessions", new JsonObject().put("expiresAt", op("$lte", 3))))
        .containsExactly("s3", "s6");
    assertThat(scans.messages()).isEmpty();
  }

  @Test
  void aFilterNoIndexAnswersIsReportedOnceWithItsShape() {
    mongo.insert("sessions", new JsonObject().put("_id", "a").put("account", "alice")).await();

    ids("sessions", new JsonObject().put("account", "alice"));
    ids("sessions", new JsonObject().put("account", "bob"));
    mongo.count("sessions", new JsonObject().put("_id", "a")).await();

    assertThat(scans.messages())
        .containsExactly(
            "Embedded MongoDB: find on sessions {account: ?} uses no index: it reads all 1 documents, a cost that grows with the data",
            "Embedded MongoDB: aggregate on sessions uses no index: it reads all 1 documents, a cost that grows with the data");
  }
}
