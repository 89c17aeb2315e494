package com.example.starter.mongo;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

import java.util.Locale;
import java.util.Set;

/**
 * The H2 backend commits its file about once a second, so a write acknowledged just before the
 * process dies could be lost. This one commits before it acknowledges a write.
 */
final class DurableH2Backend extends H2Backend {

  private static final Set<String> WRITES = Set.of(
    "insert", "update", "delete", "findandmodify", "createindexes", "dropindexes", "drop", "dropdatabase");

  DurableH2Backend(String fileName) {
    super(fileName);
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    Document response = super.handleCommand(channel, databaseName, command, query);
    if (WRITES.contains(command.toLowerCase(Locale.ROOT))) {
      commit();
    }
    return response;
  }
}
