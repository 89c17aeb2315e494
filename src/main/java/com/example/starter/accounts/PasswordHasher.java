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
import java.util.function.Supplier;

/**
 * Argon2id hashing and checking on a pool of worker threads of its own, so that the accounts
 * verticle (one per process, on an event loop, with one database client) never waits on a hash and
 * a burst of logins cannot take the pool every other blocking task shares.
 *
 * <p>The queue in front of the pool is bounded by time: a hash that would have to wait for a thread
 * and could not finish before its caller stops waiting (judged from how long hashes take now) is
 * refused at once (503, with when to try again), and one whose caller has stopped waiting by the
 * time a thread is free is not started. A spike is answered quickly, as much of it is served as can
 * be in time, and no thread hashes for a caller who is gone. A hash with a free thread always
 * starts: otherwise one slow hash (the first, in a cold JVM on busy cores) would refuse every one
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
    return hashAfter(Future::succeededFuture, password, deadline);
  }

  /**
   * Like {@link #hash}, admitted (or refused) now, and once admitted, started when what {@code
   * before} starts has succeeded (a lookup that decides whether to hash at all): its place in the
   * queue is held meanwhile, so that a burst is judged as it arrives, and what is refused costs
   * nothing more.
   */
  Future<String> hashAfter(Supplier<Future<?>> before, String password, Deadline deadline) {
    return run(
        before,
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
    return run(Future::succeededFuture, () -> hashing.verify(hash, password), deadline);
  }

  private <T> Future<T> run(Supplier<Future<?>> before, Callable<T> work, Deadline deadline) {
    int ahead = pending.get();
    if (ahead >= threads) {
      long expectedStartMillis = TimeUnit.NANOSECONDS.toMillis(ahead / threads * hashNanos);
      // A quarter more than measured: a hash admitted and then late is a refusal after waiting.
      long expectedEndMillis =
          TimeUnit.NANOSECONDS.toMillis((ahead / threads + 1) * hashNanos * 5 / 4);
      if (expectedEndMillis > deadline.remainingMillis()) {
        return Future.failedFuture(
            Failures.busy("too many passwords to check at once", expectedStartMillis));
      }
    }
    pending.incrementAndGet();
    return before
        .get()
        .compose(
            ready ->
                workers.<T>executeBlocking(
                    () -> {
                      deadline.check();
                      long start = System.nanoTime();
                      T result = work.call();
                      measured(System.nanoTime() - start);
                      return result;
                    },
                    false))
        .andThen(done -> pending.decrementAndGet());
  }

  /**
   * Half the last hash, half those before: a burst is judged by how fast hashing is now, within a
   * few hashes of a change (a cold start, other work on the cores), not by a long memory of it.
   */
  private synchronized void measured(long nanos) {
    hashNanos = hashNanos == 0 ? nanos : (hashNanos + nanos) / 2;
  }
}
