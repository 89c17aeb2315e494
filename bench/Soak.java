import com.example.starter.HostileCorpus;
import com.example.starter.RawWebSocket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Mixed traffic for bench/soak.sh: ordinary requests, logins right and wrong, registrations,
 * websocket echo and chat, and the raw requests of the hostile corpus, from 16 loops at once, for a
 * given time; and now and then pressure: a burst of registrations (30 of one login and 30 of others
 * at once), or a ping flood from a client that reads nothing (on echo or on chat). Counts as an
 * error any 5xx other than the corpus's declared one, any failure of an ordinary request, a burst
 * answered otherwise than 201, 409 or a 503 with Retry-After or with more than one account for its
 * one login, and a flood the server takes in full.
 *
 * <pre>java -cp target/starter.jar:target/test-classes bench/Soak.java HTTP_PORT WS_PORT SECONDS
 * </pre>
 *
 * The corpus and its reader come from the test classes ({@code mvn test-compile}).
 */
public class Soak {

  private static final int LOOPS = 16;

  private final Vertx vertx = Vertx.vertx();
  private final int httpPort;
  private final int wsPort;
  private final WebClient web;
  private final WebSocketClient webSockets;
  private final List<String> hostile;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong bursts = new AtomicLong();
  private final AtomicLong floods = new AtomicLong();
  private String cookie;

  Soak(int httpPort, int wsPort, List<String> hostile) {
    this.httpPort = httpPort;
    this.wsPort = wsPort;
    this.hostile = hostile;
    this.web =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(httpPort),
            new PoolOptions().setHttp1MaxSize(LOOPS));
    this.webSockets = vertx.createWebSocketClient();
  }

  public static void main(String[] args) {
    // The corpus's raw HTTP requests, but for the one a 5xx is expected of (another HTTP version).
    List<String> hostile =
        HostileCorpus.cases().stream()
            .filter(
                hostileCase -> hostileCase.kind().equals("http") && hostileCase.expected() < 500)
            .map(HostileCorpus.Case::what)
            .toList();
    Soak soak = new Soak(Integer.parseInt(args[0]), Integer.parseInt(args[1]), hostile);
    try {
      long errors = soak.run(TimeUnit.SECONDS.toMillis(Long.parseLong(args[2])));
      System.exit(errors == 0 ? 0 : 1);
    } catch (RuntimeException e) {
      // Vert.x's threads would keep the JVM, and the script waiting, after a failed start.
      e.printStackTrace();
      System.exit(2);
    }
  }

  long run(long millis) {
    JsonObject owner = new JsonObject().put("login", "soak").put("password", "correct horse");
    web.post("/api/accounts").sendJsonObject(owner).await();
    // The warm-up's wrong logins may have this address blocked (429) for a while: wait it out.
    HttpResponse<Buffer> login = web.post("/api/session").sendJsonObject(owner).await();
    while (login.statusCode() == 429) {
      long seconds = Long.parseLong(login.getHeader("Retry-After"));
      vertx.timer(seconds, TimeUnit.SECONDS).await();
      login = web.post("/api/session").sendJsonObject(owner).await();
    }
    String setCookie = login.cookies().get(0);
    cookie = setCookie.substring(0, setCookie.indexOf(';'));
    long end = System.currentTimeMillis() + millis;
    vertx.setPeriodic(30_000, tick -> report("so far"));
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < LOOPS; i++) {
      Promise<Void> done = Promise.promise();
      loop(end, done);
      loops.add(done.future());
    }
    Future.all(loops).await();
    report("total");
    long failed = errors.get();
    vertx.close().await();
    return failed;
  }

  private void report(String when) {
    System.out.printf(
        "%s: %d requests, %d errors (%d registration bursts, %d ping floods among them)%n",
        when, requests.get(), errors.get(), bursts.get(), floods.get());
  }

  private void loop(long end, Promise<Void> done) {
    if (System.currentTimeMillis() >= end) {
      done.complete();
      return;
    }
    requests.incrementAndGet();
    action()
        .get()
        .onComplete(
            ok -> loop(end, done),
            failure -> {
              errors.incrementAndGet();
              System.out.println("error: " + failure);
              loop(end, done);
            });
  }

  private Supplier<Future<?>> action() {
    int n = ThreadLocalRandom.current().nextInt(100);
    if (n < 35) {
      return () -> ok(web.get("/hello").send());
    } else if (n < 60) {
      return () -> ok(web.get("/api/me").putHeader("Cookie", cookie).send());
    } else if (n < 65) {
      return () ->
          ok(
              web.post("/api/session")
                  .sendJsonObject(
                      new JsonObject()
                          .put("login", "user" + ThreadLocalRandom.current().nextInt(1000))
                          .put("password", "wrong horse")));
    } else if (n < 68) {
      return () ->
          ok(
              web.post("/api/accounts")
                  .sendJsonObject(
                      new JsonObject()
                          .put(
                              "login",
                              "s" + Long.toHexString(ThreadLocalRandom.current().nextLong()))
                          .put("password", "correct horse")));
    } else if (n < 75) {
      return this::echo;
    } else if (n < 80) {
      return this::chat;
    } else if (n < 82) {
      return () -> ok(web.get("/api/upstreams").send());
    } else if (n == 82 && ThreadLocalRandom.current().nextInt(300) == 0) {
      // About every 30 s at the soak's thousand requests a second; a flood about every 2 minutes.
      return this::registrationBurst;
    } else if (n == 83 && ThreadLocalRandom.current().nextInt(1200) == 0) {
      return this::pingFlood;
    }
    return this::hostileRequest;
  }

  /** 30 registrations of one new login and 30 of others, at once. */
  private Future<?> registrationBurst() {
    bursts.incrementAndGet();
    String shared = "b" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String login = i % 2 == 0 ? shared : shared + "x" + i;
      answers.add(
          web.post("/api/accounts")
              .sendJsonObject(
                  new JsonObject().put("login", login).put("password", "correct horse")));
    }
    return Future.all(answers)
        .compose(
            all -> {
              long sharedCreated = 0;
              for (int i = 0; i < answers.size(); i++) {
                HttpResponse<Buffer> answer = answers.get(i).result();
                int status = answer.statusCode();
                boolean shed = status == 503 && answer.getHeader("Retry-After") != null;
                if (status != 201 && status != 409 && !shed) {
                  return Future.failedFuture(
                      "registration burst: " + status + " " + answer.bodyAsString());
                }
                if (i % 2 == 0 && status == 201) {
                  sharedCreated++;
                }
              }
              return sharedCreated <= 1
                  ? Future.succeededFuture()
                  : Future.failedFuture(
                      "registration burst: " + sharedCreated + " accounts for one login");
            });
  }

  /**
   * 64 MB of pings from a client that reads nothing, on a worker: the server must stop reading it
   * long before, and drop it (after WS_NOT_READING_SECONDS twice).
   */
  private Future<?> pingFlood() {
    floods.incrementAndGet();
    String path = ThreadLocalRandom.current().nextBoolean() ? "/ws/chat?room=soak0" : "/ws/echo";
    Map<String, String> headers =
        Map.of("Origin", "http://127.0.0.1:" + httpPort, "Cookie", cookie);
    long max = 64L << 20;
    return vertx.executeBlocking(
        () -> {
          try (RawWebSocket socket = RawWebSocket.open(wsPort, path, headers, 64 * 1024)) {
            // A write blocks while the server reads nothing: one that never drops us is an error.
            AtomicBoolean gaveUp = new AtomicBoolean();
            long watchdog =
                vertx.setTimer(
                    60_000,
                    late -> {
                      gaveUp.set(true);
                      socket.close();
                    });
            long sent = socket.flood(RawWebSocket.PING, new byte[0], max);
            vertx.cancelTimer(watchdog);
            if (sent < max && !gaveUp.get()) {
              return null;
            }
            throw new IllegalStateException(
                "ping flood on "
                    + path
                    + ": the server took "
                    + (sent >> 20)
                    + " MB and did not drop the client");
          }
        },
        false);
  }

  /** Any answer below 500 is the server doing its job; a 5xx or no answer is an error. */
  private static Future<?> ok(Future<HttpResponse<Buffer>> response) {
    return response.compose(
        answer ->
            answer.statusCode() < 500
                ? Future.succeededFuture()
                : Future.failedFuture(answer.statusCode() + " " + answer.bodyAsString()));
  }

  private Future<?> echo() {
    return webSockets
        .connect(wsPort, "127.0.0.1", "/ws/echo")
        .compose(
            socket -> {
              Promise<String> answer = Promise.promise();
              socket.textMessageHandler(answer::tryComplete);
              socket.writeTextMessage("soak");
              return answer.future().compose(text -> socket.close());
            });
  }

  private Future<?> chat() {
    return webSockets
        .connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(wsPort)
                .setURI("/ws/chat?room=soak" + ThreadLocalRandom.current().nextInt(4))
                .addHeader("Origin", "http://127.0.0.1:" + httpPort)
                .addHeader("Cookie", cookie))
        .compose(socket -> socket.writeTextMessage("soak").compose(written -> socket.close()));
  }

  /** One raw request of the corpus, on a worker: a blocking socket, read until closed or quiet. */
  private Future<?> hostileRequest() {
    String row = hostile.get(ThreadLocalRandom.current().nextInt(hostile.size()));
    return vertx.executeBlocking(
        () -> {
          try (Socket socket = new Socket("127.0.0.1", httpPort)) {
            socket.setSoTimeout(2000);
            socket
                .getOutputStream()
                .write(HostileCorpus.httpRequest(row, Map.of("{cookie}", cookie)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
              socket.getInputStream().transferTo(answer);
            } catch (IOException quietOrReset) {
              // A reset or silence after the answer: what counts is the status line already read.
            }
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            if (text.matches("(?s)HTTP/\\d\\.\\d 5.*")) {
              throw new IllegalStateException(
                  "5xx to " + row + ": " + text.lines().findFirst().orElse(""));
            }
            return null;
          }
        },
        false);
  }
}
