package com.example.starter.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SessionCacheTest {

  private static final long NOW = 1_000_000;
  private static final SessionCache.Entry ENTRY =
      new SessionCache.Entry(new byte[] {1}, 2, NOW + 60_000);

  private final SessionCache cache = new SessionCache(100, Duration.ofMinutes(1));

  @Test
  void keepsWhatTheStoreAnsweredUntilTheStoreLetsItExpire() {
    cache.put("a", ENTRY, cache.epoch());
    assertThat(cache.get("a", NOW)).isEqualTo(ENTRY);
    assertThat(cache.get("a", ENTRY.expiresAt())).isNull();
  }

  @Test
  void anAnswerThatWasOnItsWayDuringAnInvalidationIsNotKept() {
    long epoch = cache.epoch();
    cache.invalidate("a");
    cache.put("a", ENTRY, epoch);
    assertThat(cache.get("a", NOW)).isNull();
  }

  @Test
  void aChangeDropsOlderCopiesOnly() {
    cache.put("a", ENTRY, cache.epoch());
    cache.changed("a", ENTRY.version());
    assertThat(cache.get("a", NOW)).isEqualTo(ENTRY);
    cache.changed("a", ENTRY.version() + 1);
    assertThat(cache.get("a", NOW)).isNull();
  }

  @Test
  void isBoundedInSize() {
    SessionCache small = new SessionCache(10, Duration.ofMinutes(1));
    for (int i = 0; i < 1000; i++) {
      small.put("id" + i, ENTRY, small.epoch());
    }
    assertThat(IntStream.range(0, 1000).filter(i -> small.get("id" + i, NOW) != null).count())
        .isLessThanOrEqualTo(10);
  }

  @Test
  void isBoundedInAge() {
    SessionCache none = new SessionCache(10, Duration.ZERO);
    none.put("a", ENTRY, none.epoch());
    assertThat(none.get("a", NOW)).isNull();
  }
}
