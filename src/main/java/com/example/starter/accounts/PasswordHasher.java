package com.example.starter.accounts;

import com.example.starter.bus.BusException;
import com.example.starter.bus.Deadline;
import com.example.starter.bus.Failures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.auth.hashing.HashingStrategy;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
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
 * time a thread is free is not started. Whenever a hash ends, those still waiting are judged again
 * on the speed measured now, and those that could no longer start in time are refused then. A spike
 * is answered quickly, as much of it is served as can be in time, and no thread hashes for a caller
 * who is gone. A hash with a free thread always starts: otherwise one slow hash (the first, in a
 * cold JVM on busy cores) would refuse every one after it, and nothing would ever measure the speed
 * again.
 */
final class PasswordHasher {

  private static final int SALT_BYTES = 16;

  /** Hashes the speed is judged by. */
  private static final int RECENT = 8;

  private final WorkerExecutor workers;
  private final int threads;
  private final HashingStrategy hashing;
  private final Map<String, String> cost;
  private final SecureRandom random = new SecureRandom();

  /** The places of the hashes queued or running, in the order they were admitted. */
  private final Deque<Place> queue = new ArrayDeque<>();

  /** How long one hash takes now, in nanoseconds: see {@link #measured}. */
  private volatile long hashNanos;

  private final long[] recent = new long[RECENT];
  private int measuredCount;

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
    Promise<T> answer = Promise.promise();
    Place place = new Place(deadline, answer);
    int ahead = admit(place);
    if (ahead >= 0) {
      return Future.failedFuture(refusal(ahead));
    }
    before
        .get()
        .compose(
            ready ->
                place.state.get() == Place.REFUSED
                    ? Future.<T>failedFuture(refusal(0))
                    : workers.<T>executeBlocking(
                        () -> {
                          // Refused meanwhile: its caller has heard 503 already.
                          if (!place.start()) {
                            throw refusal(0);
                          }
                          deadline.check();
                          long start = System.nanoTime();
                          T result = work.call();
                          measured(System.nanoTime() - start);
                          return result;
                        },
                        false))
        .onComplete(
            done -> {
              place.leave();
              if (done.succeeded()) {
                answer.tryComplete(done.result());
              } else {
                answer.tryFail(done.cause());
              }
              refuseWhatCanNoLongerStart();
            });
    return answer.future();
  }

  /**
   * When the hash with {@code ahead} hashes queued or running before it would end, in ms, with a
   * quarter more than measured: a hash admitted and then late is a refusal after waiting.
   */
  private long expectedEndMillis(int ahead) {
    return TimeUnit.NANOSECONDS.toMillis((ahead / threads + 1) * hashNanos * 5 / 4);
  }

  /** When the hash with {@code ahead} hashes queued or running before it would start, in ms. */
  private long expectedStartMillis(int ahead) {
    return TimeUnit.NANOSECONDS.toMillis(ahead / threads * hashNanos);
  }

  private BusException refusal(int ahead) {
    return Failures.busy("too many passwords to check at once", expectedStartMillis(ahead));
  }

  /** Queues {@code place}, or answers how many are ahead of it if it cannot finish in time. */
  private synchronized int admit(Place place) {
    int ahead = queue.size();
    if (ahead >= threads && expectedEndMillis(ahead) > place.deadline.remainingMillis()) {
      return ahead;
    }
    queue.add(place);
    return -1;
  }

  /**
   * Once a hash has ended, and with it perhaps the measure of how long hashes take: the places
   * still waiting are judged again, in order, and those that could no longer start before their
   * callers stop waiting are refused now instead of when their turn comes (a burst admitted on the
   * speed of an idle machine would otherwise hear its 503s after its whole deadline). Start, not
   * end: judged on the end, a burst's first slow hashes would refuse what the faster ones after
   * them still serve in time (bench/burst.sh: 55 to 58 served of 200 against 65 to 83).
   */
  private void refuseWhatCanNoLongerStart() {
    List<Runnable> refusals = new ArrayList<>();
    synchronized (this) {
      int ahead = 0;
      for (Iterator<Place> places = queue.iterator(); places.hasNext(); ) {
        Place place = places.next();
        if (place.state.get() != Place.WAITING) {
          ahead++;
        } else if (ahead >= threads
            && expectedStartMillis(ahead) > place.deadline.remainingMillis()
            && place.refuse()) {
          places.remove();
          BusException refusal = refusal(ahead);
          refusals.add(() -> place.answer.tryFail(refusal));
        } else {
          ahead++;
        }
      }
    }
    // Outside the lock: a caller told may hash again (a registration whose twin failed).
    refusals.forEach(Runnable::run);
  }

  /** A hash's place in the queue: waiting, then started by a thread or refused. */
  private final class Place {
    static final int WAITING = 0;
    static final int STARTED = 1;
    static final int REFUSED = 2;

    final Deadline deadline;
    final Promise<?> answer;
    final AtomicInteger state = new AtomicInteger(WAITING);

    Place(Deadline deadline, Promise<?> answer) {
      this.deadline = deadline;
      this.answer = answer;
    }

    boolean start() {
      return state.compareAndSet(WAITING, STARTED);
    }

    /** Refused while waiting; the caller takes it out of the queue. */
    boolean refuse() {
      return state.compareAndSet(WAITING, REFUSED);
    }

    void leave() {
      synchronized (PasswordHasher.this) {
        queue.remove(this);
      }
    }
  }

  /**
   * The median of the last {@link #RECENT} hashes: a burst is judged by how fast hashing is now,
   * within a few hashes of a change (a cold start, other work on the cores), and one hash slowed by
   * a pause or the burst's own arrival does not move it.
   */
  private synchronized void measured(long nanos) {
    recent[measuredCount++ % RECENT] = nanos;
    long[] sorted = Arrays.copyOf(recent, Math.min(measuredCount, RECENT));
    Arrays.sort(sorted);
    hashNanos = sorted[sorted.length / 2];
  }
}
