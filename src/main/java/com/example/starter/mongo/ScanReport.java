package com.example.starter.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, once per shape, when the embedded database answers a query without an index: it then reads
 * every document of the collection, so the query's cost grows with the data, unlike on a real
 * MongoDB with the same indexes. It asks the collection's own indexes, as the server does when it
 * runs the query. Aggregations always read every document on this server.
 */
final class ScanReport {

  private static final Logger LOG = LoggerFactory.getLogger(ScanReport.class);

  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  /**
   * {@code command} in lower case; {@code query} the command document, whose first key names the
   * collection.
   */
  void check(MongoDatabase database, String command, Document query) {
    if (query.isEmpty() || !(query.values().iterator().next() instanceof String collectionName)) {
      return;
    }
    List<Object> filters =
        switch (command) {
          case "find" -> listOf(query.get("filter"));
          case "count", "distinct", "findandmodify" -> listOf(query.get("query"));
          case "update" -> filtersOf(query.get("updates"));
          case "delete" -> filtersOf(query.get("deletes"));
          default -> List.of();
        };
    MongoCollection<?> collection = database.resolveCollection(collectionName, false);
    if (collection == null) {
      return;
    }
    if (command.equals("aggregate")) {
      report("aggregate on " + collectionName, collection);
    }
    for (Object filter : filters) {
      if (filter instanceof Document document
          && !document.isEmpty()
          && collection.getIndexes().stream().noneMatch(index -> index.canHandle(document))) {
        report(command + " on " + collectionName + " " + shape(document), collection);
      }
    }
  }

  private void report(String query, MongoCollection<?> collection) {
    if (reported.add(query)) {
      LOG.warn(
          "Embedded MongoDB: {} uses no index: it reads all {} documents, a cost that grows with the data",
          query,
          collection.count());
    }
  }

  private static List<Object> listOf(Object filter) {
    return filter == null ? List.of() : List.of(filter);
  }

  private static List<Object> filtersOf(Object statements) {
    if (!(statements instanceof List<?> list)) {
      return List.of();
    }
    return list.stream()
        .filter(Document.class::isInstance)
        .map(statement -> ((Document) statement).get("q"))
        .toList();
  }

  /** The filter without its values: {@code {expiresAt: {$lte: ?}}}. */
  private static String shape(Object value) {
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .map(entry -> entry.getKey() + ": " + shape(entry.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return "?";
  }
}
