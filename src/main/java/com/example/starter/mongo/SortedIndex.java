package com.example.starter.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A non-unique index on one field for mongo-java-server, which otherwise ignores non-unique indexes
 * and scans the collection for every query on such a field. It answers equality, {@code $in} and
 * range ({@code $lt}, {@code $lte}, {@code $gt}, {@code $gte}) filters on its field, whatever else
 * the filter says (the collection checks the rest on the few documents it returns).
 *
 * <p>Kept in memory and rebuilt from the collection when the database opens (one pass over it at
 * start-up). In the H2 backend a document's position is its {@code _id}.
 */
final class SortedIndex extends Index<Object> {

  private static final Set<String> RANGE = Set.of("$lt", "$lte", "$gt", "$gte");

  private final String field;

  /** Indexed value to the positions of the documents that hold it. */
  private final NavigableMap<Object, Set<Object>> positionsByValue =
      new TreeMap<>(ValueComparator.asc());

  /** Position to the values indexed for it, to update and remove without a lookup by value. */
  private final Map<Object, List<Object>> valuesByPosition = new HashMap<>();

  SortedIndex(String name, IndexKey key) {
    // Sparse: a document without the field is not in it, and removing it finds no position here.
    super(name, List.of(key), true);
    this.field = key.getKey();
  }

  @Override
  public synchronized boolean canHandle(Document query) {
    if (!query.containsKey(field)) {
      return false;
    }
    Object condition = query.get(field);
    if (condition instanceof Document operators) {
      if (operators.isEmpty()) {
        return false;
      }
      for (Map.Entry<String, Object> operator : operators.entrySet()) {
        boolean range = RANGE.contains(operator.getKey()) && isPlain(operator.getValue());
        boolean in =
            operator.getKey().equals("$in")
                && operator.getValue() instanceof Collection<?> values
                && values.stream().allMatch(SortedIndex::isPlain);
        if (!range && !in) {
          return false;
        }
      }
      return true;
    }
    return isPlain(condition);
  }

  /**
   * A value this index can look up: not null (missing documents are not indexed), not a list, a
   * pattern or a sub-document.
   */
  private static boolean isPlain(Object value) {
    return !Missing.isNullOrMissing(value)
        && !(value instanceof Collection)
        && !(value instanceof Document)
        && !BsonRegularExpression.isRegularExpression(value);
  }

  @Override
  public synchronized Iterable<Object> getPositions(Document query) {
    Object condition = query.get(field);
    Set<Object> positions = new LinkedHashSet<>();
    if (!(condition instanceof Document operators)) {
      positions.addAll(positionsByValue.getOrDefault(normalized(condition), Set.of()));
      return positions;
    }
    if (operators.get("$in") instanceof Collection<?> values) {
      values.forEach(
          value -> positions.addAll(positionsByValue.getOrDefault(normalized(value), Set.of())));
      return positions;
    }
    NavigableMap<Object, Set<Object>> range = positionsByValue;
    Object bound = null;
    for (Map.Entry<String, Object> operator : operators.entrySet()) {
      bound = normalized(operator.getValue());
      range =
          switch (operator.getKey()) {
            case "$lt" -> range.headMap(bound, false);
            case "$lte" -> range.headMap(bound, true);
            case "$gt" -> range.tailMap(bound, false);
            default -> range.tailMap(bound, true);
          };
    }
    // Values of another type sort before or after the bound, but never match it: skip them.
    Class<?> type = bound.getClass();
    range.forEach(
        (value, holders) -> {
          if (sameType(value, type)) {
            positions.addAll(holders);
          }
        });
    return positions;
  }

  private static boolean sameType(Object value, Class<?> type) {
    return value.getClass().equals(type)
        || (value instanceof Number && Number.class.isAssignableFrom(type));
  }

  /** A query value in the form the index keeps values in (numbers as the server compares them). */
  private Object normalized(Object value) {
    return getKeyValues(new Document(field, value)).iterator().next().get(0);
  }

  private List<Object> indexedValues(Document document) {
    List<Object> values = new ArrayList<>();
    for (KeyValue keyValue : getKeyValues(document)) {
      Object value = keyValue.get(0);
      if (value != null) {
        values.add(value);
      }
    }
    return values;
  }

  @Override
  public synchronized void add(
      Document document, Object position, MongoCollection<Object> collection) {
    List<Object> values = indexedValues(document);
    if (values.isEmpty()) {
      return;
    }
    valuesByPosition.put(position, values);
    values.forEach(
        value -> positionsByValue.computeIfAbsent(value, v -> new LinkedHashSet<>()).add(position));
  }

  @Override
  public synchronized Object remove(Document document) {
    return removeAt(Missing.ofNullable(document.get("_id")));
  }

  private Object removeAt(Object position) {
    List<Object> values = valuesByPosition.remove(position);
    if (values == null) {
      return null;
    }
    values.forEach(
        value -> {
          Set<Object> holders = positionsByValue.get(value);
          holders.remove(position);
          if (holders.isEmpty()) {
            positionsByValue.remove(value);
          }
        });
    return position;
  }

  @Override
  public synchronized void updateInPlace(
      Document oldDocument,
      Document newDocument,
      Object position,
      MongoCollection<Object> collection) {
    removeAt(position);
    add(newDocument, position, collection);
  }

  /** Not unique: nothing to check. */
  @Override
  public void checkAdd(Document document, MongoCollection<Object> collection) {}

  @Override
  public void checkUpdate(
      Document oldDocument, Document newDocument, MongoCollection<Object> collection) {}

  /** The collection finds a document's position through its unique indexes. */
  @Override
  public Object getPosition(Document document) {
    return null;
  }

  @Override
  public synchronized long getCount() {
    return valuesByPosition.size();
  }

  @Override
  public synchronized long getDataSize() {
    return getCount();
  }

  @Override
  public synchronized void drop() {
    positionsByValue.clear();
    valuesByPosition.clear();
  }
}
