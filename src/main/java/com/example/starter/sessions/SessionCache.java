package com.example.starter.sessions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sessions as this node last read or wrote them, so that a request that does not change its session
 * costs no bus request. Bounded in size and age; a session leaves it as soon as its end or change
 * is heard on the bus.
 *
 * <p>A read or write that was on its way while something was invalidated may carry what was just
 * ended: callers take {@link #epoch()} before asking the sessions role and {@link #put} keeps the
 * answer only if nothing was invalidated meanwhile.
 */
final class SessionCache {

  /** A stored session: its serialized form, version, and when the store will let it expire. */
  record Entry(byte[] data, int version, long expiresAt) {}

  private final Cache<String, Entry> entries;
  private final AtomicLong invalidations = new AtomicLong();

  SessionCache(int maxSize, Duration maxAge) {
    // Maintenance on the calling thread: no pool threads for a cache used on one event loop.
    this.entries =
        Caffeine.newBuilder()
            .maximumSize(maxSize)
            .expireAfterWrite(maxAge)
            .executor(Runnable::run)
            .build();
  }

  /** The stored session, unless it is unknown here or the store has let it expire by now. */
  Entry get(String id, long now) {
    Entry entry = entries.getIfPresent(id);
    return entry != null && entry.expiresAt() > now ? entry : null;
  }

  long epoch() {
    return invalidations.get();
  }

  /** Keeps what the store answered, unless something was invalidated since {@code epoch}. */
  void put(String id, Entry entry, long epoch) {
    if (invalidations.get() == epoch) {
      entries.put(id, entry);
    }
  }

  void invalidate(String id) {
    invalidations.incrementAndGet();
    entries.invalidate(id);
  }

  /** A stored session changed elsewhere: a copy older than {@code version} goes. */
  void changed(String id, int version) {
    invalidations.incrementAndGet();
    entries.asMap().computeIfPresent(id, (key, entry) -> entry.version() < version ? null : entry);
  }

  void invalidateAll() {
    invalidations.incrementAndGet();
    entries.invalidateAll();
  }
}
