import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The websocket load for bench/ws.sh, with Vert.x's own client and HdrHistogram. Prints one line:
 * "rate p99ms loss% units" (rate: round trips/s for echo, deliveries/s for fan-out; units: the
 * round trips or deliveries of the whole run, warm-up included, for the server's CPU per unit).
 *
 * <pre>
 * java -cp target/starter.jar bench/WsLoad.java echo   PORT SOCKETS SECONDS
 * java -cp target/starter.jar bench/WsLoad.java fanout PORT[,PORT...] SOCKETS SECONDS RATE ORIGIN [COOKIE...]
 * java -cp target/starter.jar bench/WsLoad.java hold   PORT SOCKETS SECONDS ORIGIN COOKIE...
 * </pre>
 *
 * <p>{@code -Dwarmup=S} (default 0): echo and fanout first run S seconds unrecorded. Each run is a
 * new JVM, and its first messages, through a cold JIT, took 50 to 170 ms where the rest took 20: at
 * 10 messages a second, enough to be the whole p99 of a 10 s round.
 *
 * <p>echo: every socket sends a message, then the next once the answer is back (a closed loop: the
 * latency is the round trip). fanout: SOCKETS listeners join /ws/chat?room=bench, spread over the
 * COOKIEs given (a session may hold only so many sockets), then one more socket sends RATE messages
 * a second; each carries the time it was due to be sent, so that a late send counts in the latency
 * (no coordinated omission), and every listener records its delivery. Loss is the share of the
 * deliveries due (messages sent x listeners) that did not arrive within 2 s of the last send.
 */
public class WsLoad {

  /** Nanoseconds each echo or fanout run goes unrecorded first. */
  private static final long WARMUP = TimeUnit.SECONDS.toNanos(Long.getLong("warmup", 0));

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    WebSocketClient client =
        vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));
    // Fan-out listeners are spread over every port given (nodes of a cluster); the rest uses the
    // first.
    List<Integer> ports = Arrays.stream(args[1].split(",")).map(Integer::valueOf).toList();
    int port = ports.get(0);
    int sockets = Integer.parseInt(args[2]);
    long seconds = Long.parseLong(args[3]);
    try {
      String line =
          switch (args[0]) {
            case "echo" -> echo(vertx, client, port, sockets, seconds);
            case "fanout" ->
                fanout(
                    vertx,
                    client,
                    ports,
                    sockets,
                    seconds,
                    Integer.parseInt(args[4]),
                    args[5],
                    List.of(args).subList(6, args.length));
            case "hold" ->
                hold(
                    client, port, sockets, seconds, args[4], List.of(args).subList(5, args.length));
            default -> throw new IllegalArgumentException("echo, fanout or hold, not " + args[0]);
          };
      System.out.println(line);
    } finally {
      vertx.close().await();
    }
  }

  private static WebSocketConnectOptions to(int port, String uri) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
  }

  private static String echo(
      Vertx vertx, WebSocketClient client, int port, int sockets, long seconds) {
    Recorder latencies = new Recorder(3);
    AtomicLong trips = new AtomicLong();
    AtomicLong warmupTrips = new AtomicLong();
    List<Future<WebSocket>> open = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      open.add(client.connect(to(port, "/ws/echo")));
    }
    List<WebSocket> connected = Future.all(open).await().list();
    long start = System.nanoTime() + WARMUP;
    long end = start + seconds * 1_000_000_000L;
    for (WebSocket socket : connected) {
      long[] sent = {System.nanoTime()};
      socket.textMessageHandler(
          answer -> {
            long now = System.nanoTime();
            if (sent[0] < start) {
              warmupTrips.incrementAndGet();
            } else {
              latencies.recordValue(now - sent[0]);
              trips.incrementAndGet();
            }
            if (now < end) {
              sent[0] = now;
              socket.writeTextMessage("ping");
            }
          });
      socket.writeTextMessage("ping");
    }
    vertx.timer(Math.max(1, (end - System.nanoTime()) / 1_000_000)).await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    Histogram histogram = latencies.getIntervalHistogram();
    return String.format(
        "%.1f %.2f 0.00 %d",
        trips.get() / elapsed,
        histogram.getValueAtPercentile(99) / 1e6,
        trips.get() + warmupTrips.get());
  }

  private static String fanout(
      Vertx vertx,
      WebSocketClient client,
      List<Integer> ports,
      int listeners,
      long seconds,
      int rate,
      String origin,
      List<String> cookies) {
    Recorder latencies = new Recorder(3);
    AtomicLong delivered = new AtomicLong();
    List<Future<WebSocket>> open = new ArrayList<>();
    for (int i = 0; i < listeners; i++) {
      open.add(
          join(
              client,
              ports.get(i % ports.size()),
              origin,
              cookies.isEmpty() ? null : cookies.get(i % cookies.size())));
      if (i % 200 == 199) {
        Future.all(open.subList(i - 199, i + 1)).await();
      }
    }
    List<WebSocket> joined = Future.all(open).await().list();
    long period = 1_000_000_000L / rate;
    long warmupMessages = WARMUP / period;
    long messages = seconds * rate;
    long expected = messages * listeners;
    AtomicLong warmupDelivered = new AtomicLong();
    Promise<Void> all = Promise.promise();
    WebSocket sender =
        join(client, ports.get(0), origin, cookies.isEmpty() ? null : cookies.get(0)).await();
    sender.textMessageHandler(text -> {});
    long first = System.nanoTime() + period;
    long measured = first + warmupMessages * period;
    for (WebSocket socket : joined) {
      socket.textMessageHandler(
          text -> {
            long due = Long.parseLong(new JsonObject(text).getString("text"));
            if (due < measured) {
              warmupDelivered.incrementAndGet();
              return;
            }
            latencies.recordValue(Math.max(0, System.nanoTime() - due));
            if (delivered.incrementAndGet() == expected) {
              all.tryComplete();
            }
          });
    }
    for (long i = 0; i < warmupMessages + messages; i++) {
      long due = first + i * period;
      long wait = (due - System.nanoTime()) / 1_000_000;
      if (wait > 0) {
        vertx.timer(wait).await();
      }
      sender.writeTextMessage(Long.toString(due));
    }
    // What has not arrived 2 s after the last send is lost.
    all.future().timeout(2, TimeUnit.SECONDS).otherwiseEmpty().await();
    Histogram histogram = latencies.getIntervalHistogram();
    return String.format(
        "%.1f %.2f %.2f %d",
        (double) delivered.get() / seconds,
        histogram.getValueAtPercentile(99) / 1e6,
        100.0 * (expected - delivered.get()) / expected,
        delivered.get() + warmupDelivered.get());
  }

  /**
   * Opens SOCKETS chat sockets that then stay idle (answering pings), prints "held N" once all are
   * open, and closes them after SECONDS.
   */
  private static String hold(
      WebSocketClient client,
      int port,
      int sockets,
      long seconds,
      String origin,
      List<String> cookies)
      throws InterruptedException {
    List<Future<WebSocket>> open = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      open.add(join(client, port, origin, cookies.get(i % cookies.size())));
      if (i % 200 == 199) {
        Future.all(open.subList(i - 199, i + 1)).await();
      }
    }
    List<WebSocket> held = Future.all(open).await().list();
    System.out.println("held " + held.size());
    Thread.sleep(seconds * 1000);
    return "held " + held.size();
  }

  private static Future<WebSocket> join(
      WebSocketClient client, int port, String origin, String cookie) {
    WebSocketConnectOptions options =
        to(port, "/ws/chat?room=bench").setAllowOriginHeader(true).addHeader("Origin", origin);
    if (cookie != null) {
      options.addHeader("Cookie", cookie);
    }
    return client.connect(options);
  }
}
