package com.example.starter.mongo;

import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import java.util.List;
import org.h2.mvstore.MVStore;

/**
 * An H2 database of mongo-java-server whose indexes serve what the application asks: unique indexes
 * also answer filters that pin their key among other fields ({@link PinnedKeyIndex}), and
 * single-field non-unique indexes exist ({@link SortedIndex}) instead of being ignored.
 */
final class IndexedH2Database extends H2Database {

  IndexedH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
    super(databaseName, mvStore, cursorRegistry);
  }

  @Override
  protected Index<Object> openOrCreateUniqueIndex(
      String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    return new PinnedKeyIndex(
        super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse),
        indexName,
        keys,
        sparse);
  }

  @Override
  protected Index<Object> openOrCreateSecondaryIndex(
      String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    return keys.size() == 1
        ? new SortedIndex(indexName, keys.get(0))
        : super.openOrCreateSecondaryIndex(collectionName, indexName, keys, sparse);
  }
}
