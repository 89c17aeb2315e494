import com.example.starter.RawWebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Many ping floods at once, as the soak sends one (empty pings, 64 KiB socket buffers, nothing
 * read), on {@code /ws/echo}: each must be dropped by the server; one still held after 40 s is
 * printed as HELD with what it had sent. Reproduced the soak's one error before the ping limit (see
 * bench/README.md, "Soak").
 *
 * <pre>
 *   java -cp target/test-classes bench/FloodMany.java WS_PORT ROUNDS AT_ONCE
 * </pre>
 */
public class FloodMany {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    int atOnce = Integer.parseInt(args[2]);
    ExecutorService clients = Executors.newFixedThreadPool(atOnce);
    ScheduledExecutorService watchdogs = Executors.newSingleThreadScheduledExecutor();
    int held = 0;
    for (int round = 0; round < rounds; round++) {
      List<Future<Boolean>> floods = new ArrayList<>();
      for (int i = 0; i < atOnce; i++) {
        floods.add(clients.submit(() -> dropped(port, watchdogs)));
      }
      for (Future<Boolean> flood : floods) {
        held += flood.get() ? 0 : 1;
      }
    }
    System.out.println("floods: " + rounds * atOnce + ", held after 40 s: " + held);
    clients.shutdownNow();
    watchdogs.shutdownNow();
    System.exit(held == 0 ? 0 : 1);
  }

  private static boolean dropped(int port, ScheduledExecutorService watchdogs) {
    try (RawWebSocket socket = RawWebSocket.open(port, "/ws/echo", Map.of(), 64 * 1024)) {
      AtomicBoolean gaveUp = new AtomicBoolean();
      Future<?> watchdog =
          watchdogs.schedule(
              () -> {
                gaveUp.set(true);
                socket.close();
              },
              40,
              TimeUnit.SECONDS);
      long began = System.nanoTime();
      long max = 64L << 20;
      long sent = socket.flood(RawWebSocket.PING, new byte[0], max);
      watchdog.cancel(false);
      long millis = (System.nanoTime() - began) / 1_000_000;
      boolean dropped = !gaveUp.get() && sent < max;
      System.out.println(
          (dropped ? "dropped" : "HELD") + " after " + sent + " bytes, " + millis + " ms");
      return dropped;
    }
  }
}
