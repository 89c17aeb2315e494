package com.example.starter.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.Locale;
import java.util.Set;

/**
 * mongo-java-server's H2 backend, with three patches kept here (each small enough to offer
 * upstream):
 *
 * <ul>
 *   <li>it commits before it acknowledges a write: the H2 backend commits its file about once a
 *       second, so a write acknowledged just before the process dies could be lost;
 *   <li>its indexes answer the filters a real MongoDB answers from an index ({@link
 *       IndexedH2Database}): a unique key pinned among other fields, and non-unique single-field
 *       indexes;
 *   <li>a query that no index answers is reported ({@link ScanReport}): on this server it reads
 *       every document of the collection, so its cost grows with the data.
 * </ul>
 */
final class EmbeddedH2Backend extends H2Backend {

  private static final Set<String> WRITES =
      Set.of(
          "insert",
          "update",
          "delete",
          "findandmodify",
          "createindexes",
          "dropindexes",
          "drop",
          "dropdatabase");

  private final ScanReport scans = new ScanReport();

  EmbeddedH2Backend(String fileName) {
    super(fileName);
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new IndexedH2Database(databaseName, getMvStore(), getCursorRegistry());
  }

  @Override
  public Document handleCommand(
      Channel channel, String databaseName, String command, Document query) {
    String name = command.toLowerCase(Locale.ROOT);
    scans.check(resolveDatabase(databaseName), name, query);
    Document response = super.handleCommand(channel, databaseName, command, query);
    if (WRITES.contains(name)) {
      commit();
    }
    return response;
  }
}
