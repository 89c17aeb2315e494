package com.example.starter.sessions;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.sstore.impl.SharedDataSessionImpl;

/**
 * A vertx-web session that knows what the store holds of it: under which id it was last stored
 * (none for a new session, and a regenerated id is new too) and when the store lets it expire. That
 * is what {@link BusSessionStore#put} needs to decide whether a request must write at all.
 */
final class BusSession extends SharedDataSessionImpl {

  private String storedId;
  private long expiresAt;

  BusSession(VertxContextPRNG random, long timeout, int length) {
    super(random, timeout, length);
  }

  private BusSession(VertxContextPRNG random) {
    super(random);
  }

  static BusSession read(VertxContextPRNG random, byte[] data, long expiresAt) {
    BusSession session = new BusSession(random);
    session.readFromBuffer(0, Buffer.buffer(data));
    session.stored(expiresAt);
    return session;
  }

  byte[] serialize() {
    Buffer buffer = Buffer.buffer();
    writeToBuffer(buffer);
    return buffer.getBytes();
  }

  /** The store holds this session under its current id until {@code expiresAt}. */
  void stored(long expiresAt) {
    this.storedId = id();
    this.expiresAt = expiresAt;
  }

  boolean isStored() {
    return id().equals(storedId);
  }

  long expiresAt() {
    return expiresAt;
  }
}
