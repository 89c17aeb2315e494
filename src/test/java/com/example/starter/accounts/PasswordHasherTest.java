package com.example.starter.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.starter.bus.BusException;
import com.example.starter.bus.Deadline;
import com.example.starter.bus.Failures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.auth.hashing.HashString;
import io.vertx.ext.auth.hashing.HashingStrategy;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Admission in front of the hashing threads, with a hash whose speed the test decides. */
@ExtendWith(VertxExtension.class)
class PasswordHasherTest {

  private static final Map<String, String> CHEAP = Map.of("m", "64", "t", "1", "p", "1");
  private static final long SLOW_MILLIS = 1_500;

  private final Argon2idSlowedDown algorithm = new Argon2idSlowedDown();
  private PasswordHasher hasher;

  @BeforeEach
  void oneHashingThread(Vertx vertx) {
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("test-hashing", 1);
    hasher =
        new PasswordHasher(workers, 1, HashingStrategy.load().put(Argon2id.ID, algorithm), CHEAP);
  }

  /**
   * The service's first hash runs cold, while the other JVMs of a stack start on the same cores: it
   * may take longer than a caller waits. That must not refuse every hash after it.
   */
  @Test
  void aSlowFirstHashDoesNotRefuseTheHashesAfterIt() {
    algorithm.slow = true;
    hasher.hash("warm-up", new Deadline(Long.MAX_VALUE)).await();
    algorithm.slow = false;

    String hash = hasher.hash("correct horse", inMillis(SLOW_MILLIS / 2)).await();

    assertThat(hasher.verify(hash, "correct horse", inMillis(SLOW_MILLIS / 2)).await()).isTrue();
  }

  @Test
  void aHashThatWouldStartAfterItsCallerStopsWaitingIsRefusedAtOnce() throws InterruptedException {
    algorithm.slow = true;
    hasher.hash("measured", new Deadline(Long.MAX_VALUE)).await();
    algorithm.holdNext = new CountDownLatch(1);
    Future<String> occupying =
        hasher.hash("occupies the only thread", new Deadline(Long.MAX_VALUE));
    assertThat(algorithm.started.await(10, TimeUnit.SECONDS)).isTrue();

    long before = System.nanoTime();
    Future<String> refused = hasher.hash("would wait", inMillis(SLOW_MILLIS / 2));

    assertThat(refused.failed()).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isLessThan(100);
    assertThatThrownBy(refused::await)
        .isInstanceOfSatisfying(
            BusException.class, busy -> assertThat(busy.code()).isEqualTo(Failures.UNAVAILABLE));
    algorithm.holdNext.countDown();
    assertThat(occupying.await()).isNotEmpty();
  }

  /**
   * A queue admitted on the speed of fast hashes, then hashing slows down: what can no longer start
   * in time hears 503 when the first slow hash ends and shows it, not when its turn would come (a
   * hash later, after its caller stopped waiting).
   */
  @Test
  void waitingHashesThatCanNoLongerStartInTimeAreRefusedAsSoonAsHashingIsMeasuredSlower() {
    hasher.hash("measured fast", new Deadline(Long.MAX_VALUE)).await();
    algorithm.slow = true;
    Deadline deadline = inMillis(SLOW_MILLIS * 3 / 2);
    Future<String> first = hasher.hash("first, slow", deadline);
    Future<String> second = hasher.hash("second", deadline);
    List<Future<String>> behind =
        IntStream.range(0, 3).mapToObj(i -> hasher.hash("behind " + i, deadline)).toList();
    assertThat(second.failed() || behind.stream().anyMatch(Future::failed))
        .as("admitted on the fast speed")
        .isFalse();

    first.await();
    long firstEnded = System.nanoTime();

    for (Future<String> refused : behind) {
      assertThatThrownBy(() -> refused.await(SLOW_MILLIS / 2, TimeUnit.MILLISECONDS))
          .isInstanceOfSatisfying(
              BusException.class, busy -> assertThat(busy.code()).isEqualTo(Failures.UNAVAILABLE));
    }
    // Their turn would have come a slow hash after the first ended.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstEnded))
        .isLessThan(SLOW_MILLIS / 2);
  }

  private static Deadline inMillis(long millis) {
    return new Deadline(System.currentTimeMillis() + millis);
  }

  /** Argon2id, as slow as a cold JVM on busy cores when told, or held until released. */
  private static final class Argon2idSlowedDown extends Argon2id {
    volatile boolean slow;
    volatile CountDownLatch holdNext;
    final CountDownLatch started = new CountDownLatch(1);

    @Override
    public String hash(HashString hashString, String password) {
      try {
        if (holdNext != null) {
          started.countDown();
          holdNext.await();
        } else if (slow) {
          // Stands in for a slow hash, the thing under test; nothing waits on it.
          Thread.sleep(SLOW_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.hash(hashString, password);
    }
  }
}
