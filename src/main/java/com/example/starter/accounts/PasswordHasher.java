package com.example.starter.accounts;

import com.example.starter.bus.Deadline;
import com.example.starter.bus.Failures;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.auth.hashing.HashingStrategy;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Argon2id hashing and checking on a pool of worker threads of its own, so that the accounts
 * verticle (one per process, on an event loop, with one database client) never waits on a hash and
 * a burst of logins cannot take the pool every other blocking task shares.
 *
 * <p>The queue in front of the pool is bounded by time: a hash that could not start before its
 * caller stops waiting is refused at once (503, with when to try again), and one whose caller has
 * stopped waiting by the time a thread is free is not started. A spike is answered quickly, and no
 * thread hashes for a caller who is gone. A hash with a free thread always starts: judged by when
 * it would finish, one slow hash (the first, in a cold JVM on busy cores) would refuse every one
 * after it, and nothing would ever measure the speed again.
 */
final class PasswordHasher {

  private static final int SALT_BYTES = 16;

  private final WorkerExecutor workers;
  private final int threads;
  private final HashingStrategy hashing;
  private final Map<String, String> cost;
  private final SecureRandom random = new SecureRandom();

  /** Hashes queued or running. */
  private final AtomicInteger pending = new AtomicInteger();

  /** How long one hash takes, a moving average, in nanoseconds. */
  private volatile long hashNanos;

  PasswordHasher(
      WorkerExecutor workers, int threads, HashingStrategy hashing, Map<String, String> cost) {
    this.workers = workers;
    this.threads = threads;
    this.hashing = hashing;
    this.cost = cost;
  }

  Future<String> hash(String password, Deadline deadline) {
    return run(
        () -> {
          byte[] salt = new byte[SALT_BYTES];
          random.nextBytes(salt);
          return hashing.hash(
              Argon2id.ID,
              cost,
              Base64.getEncoder().withoutPadding().encodeToString(salt),
              password);
        },
        deadline);
  }

  Future<Boolean> verify(String hash, String password, Deadline deadline) {
    return run(() -> hashing.verify(hash, password), deadline);
  }

  private <T> Future<T> run(Callable<T> work, Deadline deadline) {
    long expectedStartMillis = TimeUnit.NANOSECONDS.toMillis(pending.get() / threads * hashNanos);
    if (expectedStartMillis > deadline.remainingMillis()) {
      return Future.failedFuture(
          Failures.busy("too many passwords to check at once", expectedStartMillis));
    }
    pending.incrementAndGet();
    return workers
        .<T>executeBlocking(
            () -> {
              deadline.check();
              long start = System.nanoTime();
              T result = work.call();
              measured(System.nanoTime() - start);
              return result;
            },
            false)
        .andThen(done -> pending.decrementAndGet());
  }

  private synchronized void measured(long nanos) {
    hashNanos = hashNanos == 0 ? nanos : (hashNanos * 7 + nanos) / 8;
  }
}
