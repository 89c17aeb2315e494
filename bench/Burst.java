import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Registration bursts for bench/burst.sh, each against its baseline in the same run: 30 at once of
 * one login (target 1×201 and 29×409), then 200 at once of distinct logins (target: at least 70 %
 * of what the service registers within the deadline while its hashing threads are kept busy,
 * measured just before with the same /hello loops on, every refusal a 503 with Retry-After in under
 * 100 ms, every 201 an account that exists and every 503 one that does not, checked by registering
 * each again), while 8 loops ask {@code /hello} (target: its p99 at most 3× that of the same loops
 * with nothing else going on).
 *
 * <pre>java -cp target/starter.jar bench/Burst.java HTTP_PORT HASHING_THREADS BUS_TIMEOUT_MS</pre>
 *
 * Exit status 0 when every target is met.
 */
public class Burst {

  private final Vertx vertx = Vertx.vertx();
  private final WebClient web;
  private final String run = Long.toHexString(ThreadLocalRandom.current().nextLong());
  private boolean met = true;

  private Burst(int port) {
    web =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
            new PoolOptions().setHttp1MaxSize(256));
  }

  private record Answer(String login, int status, boolean retryAfter, long millis) {}

  public static void main(String[] args) {
    Burst burst = new Burst(Integer.parseInt(args[0]));
    int threads = Integer.parseInt(args[1]);
    long deadlineMs = Long.parseLong(args[2]);
    try {
      burst.measure(threads, deadlineMs);
    } finally {
      burst.vertx.close().await();
    }
    System.exit(burst.met ? 0 : 1);
  }

  private void measure(int threads, long deadlineMs) {
    // A cold JVM's first hashes are slow, on both sides.
    for (int i = 0; i < 20; i++) {
      register("warm" + run + i).await();
    }
    // Connections open before the bursts, as a load balancer keeps them: a burst of new ones would
    // time this client's connects and the server's accepts, not its answers.
    Future.all(IntStream.range(0, 200).mapToObj(i -> web.get("/hello").send()).toList()).await();
    HelloLoops idle = HelloLoops.start(vertx, web);
    vertx.timer(5, TimeUnit.SECONDS).await();
    List<Long> idleMicros = idle.stop();

    List<Answer> oneLogin = burst(IntStream.range(0, 30).mapToObj(i -> "one" + run).toList());
    long created = oneLogin.stream().filter(answer -> answer.status() == 201).count();
    long taken = oneLogin.stream().filter(answer -> answer.status() == 409).count();
    System.out.printf(
        "30 at once of one login: %d×201, %d×409, %d other%n",
        created, taken, oneLogin.size() - created - taken);
    verdict("30 of one login", created == 1 && taken == 29, created + "×201 + " + taken + "×409");

    // The baseline: registrations as fast as the hashing threads take them, with the /hello loops
    // on, for 5 s; eight at a time per thread, so that a thread never waits for a registration's
    // lookup or write (but none waits long enough to be refused).
    HelloLoops probing = HelloLoops.start(vertx, web);
    double perSecond = saturated(8 * threads, 5000);
    probing.stop();
    double capacity = perSecond * deadlineMs / 1000;

    HelloLoops busy = HelloLoops.start(vertx, web);
    List<Answer> distinct =
        burst(IntStream.range(0, 200).mapToObj(i -> "many" + run + "x" + i).toList());
    List<Long> busyMicros = busy.stop();

    List<Answer> served = distinct.stream().filter(answer -> answer.status() == 201).toList();
    List<Answer> refused = distinct.stream().filter(answer -> answer.status() != 201).toList();
    long honest =
        refused.stream().filter(answer -> answer.status() == 503 && answer.retryAfter()).count();
    long slowRefusals = refused.stream().filter(answer -> answer.millis() >= 100).count();
    long slowestRefusal = refused.stream().mapToLong(Answer::millis).max().orElse(0);
    System.out.printf(
        "200 at once of distinct logins: %d×201, %d×503 with Retry-After, %d other%n",
        served.size(), honest, refused.size() - honest);
    System.out.printf(
        "capacity: %.1f registrations a second (%d threads kept busy) × %d ms = %.1f; served %.0f %% of"
            + " it%n",
        perSecond, threads, deadlineMs, capacity, 100 * served.size() / capacity);
    System.out.printf(
        "refusals: median %d ms, slowest %d ms, %d of %d took 100 ms or more%n",
        refused.stream()
            .mapToLong(Answer::millis)
            .sorted()
            .skip(refused.size() / 2)
            .findFirst()
            .orElse(0),
        slowestRefusal,
        slowRefusals,
        refused.size());
    verdict(
        "goodput",
        served.size() >= 0.7 * Math.min(200, capacity),
        String.format("served / capacity = %.2f", served.size() / Math.min(200, capacity)));
    verdict(
        "refusals",
        honest == refused.size() && slowRefusals == 0,
        honest + " of " + refused.size() + " honest, " + slowRefusals + " at 100 ms or more");

    long servedExist = again(served, 409);
    long refusedAbsent = again(refused, 201);
    System.out.printf(
        "registered again: %d of %d served answered 409, %d of %d refused answered 201%n",
        servedExist, served.size(), refusedAbsent, refused.size());
    verdict(
        "answers are true",
        servedExist == served.size() && refusedAbsent == refused.size(),
        "201s exist, 503s do not");

    long idleP99 = p99(idleMicros);
    long busyP99 = p99(busyMicros);
    System.out.printf(
        "/hello p99: %.1f ms idle (%d requests), %.1f ms during the 200 (%d requests)%n",
        idleP99 / 1000.0, idleMicros.size(), busyP99 / 1000.0, busyMicros.size());
    double ratio = (double) busyP99 / Math.max(1, idleP99);
    verdict("/hello during the burst", ratio <= 3, String.format("p99 / idle = %.2f", ratio));
  }

  private void verdict(String name, boolean ok, String figure) {
    met &= ok;
    System.out.printf("%s  burst: %s, %s%n", ok ? "PASS" : "FAIL", name, figure);
  }

  private List<Answer> burst(List<String> logins) {
    List<Future<Answer>> answers = logins.stream().map(this::register).toList();
    return Future.all(answers).await().list();
  }

  private Future<Answer> register(String login) {
    long sent = System.nanoTime();
    return web.post("/api/accounts")
        .sendJsonObject(new JsonObject().put("login", login).put("password", "correct horse"))
        .map(
            response ->
                new Answer(
                    login,
                    response.statusCode(),
                    response.getHeader("Retry-After") != null,
                    (System.nanoTime() - sent) / 1_000_000));
  }

  /** Registers each login again, one at a time, so that the check itself is never shed. */
  private long again(List<Answer> answers, int expected) {
    long matched = 0;
    for (Answer answer : answers) {
      matched += register(answer.login()).await().status() == expected ? 1 : 0;
    }
    return matched;
  }

  /** Registrations a second, from {@code loops} loops each waiting for its answer, for a while. */
  private double saturated(int loops, long millis) {
    long end = System.currentTimeMillis() + millis;
    long began = System.nanoTime();
    List<Future<Integer>> counts =
        IntStream.range(0, loops)
            .mapToObj(loop -> registerUntil(end, "sat" + run + loop, 0))
            .toList();
    int registered = Future.all(counts).await().<Integer>list().stream().mapToInt(n -> n).sum();
    return registered * 1e9 / (System.nanoTime() - began);
  }

  private Future<Integer> registerUntil(long end, String prefix, int registered) {
    if (System.currentTimeMillis() >= end) {
      return Future.succeededFuture(registered);
    }
    return register(prefix + "x" + registered)
        .compose(
            answer ->
                answer.status() == 201
                    ? registerUntil(end, prefix, registered + 1)
                    : Future.failedFuture("while measuring capacity: " + answer.status()));
  }

  private static long p99(List<Long> micros) {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
  }

  /**
   * Eight loops of {@code GET /hello}, each waiting for its answer and then {@link #PAUSE_MS},
   * timed (µs) until stopped: 400 requests a second or so, ordinary traffic beside the burst rather
   * than a load that would take every core the hashing threads need.
   */
  private static final class HelloLoops {
    private static final long PAUSE_MS = 20;
    private final Vertx vertx;
    private final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    private final List<Future<?>> loops = new ArrayList<>();
    private volatile boolean stopped;

    private HelloLoops(Vertx vertx) {
      this.vertx = vertx;
    }

    static HelloLoops start(Vertx vertx, WebClient web) {
      HelloLoops hello = new HelloLoops(vertx);
      for (int i = 0; i < 8; i++) {
        hello.loops.add(hello.loop(web));
      }
      return hello;
    }

    private Future<?> loop(WebClient web) {
      if (stopped) {
        return Future.succeededFuture();
      }
      long sent = System.nanoTime();
      return web.get("/hello")
          .send()
          .compose(
              answer -> {
                micros.add((System.nanoTime() - sent) / 1_000);
                return vertx.timer(PAUSE_MS, TimeUnit.MILLISECONDS);
              })
          .compose(paused -> loop(web));
    }

    List<Long> stop() {
      stopped = true;
      Future.all(loops).await();
      return List.copyOf(micros);
    }
  }
}
