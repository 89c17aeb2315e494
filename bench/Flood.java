import com.example.starter.RawWebSocket;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ping flood from a client that does not read, for bench/flood.sh: opens a websocket on 127.0.0.1
 * and sends {@code megabytes} of pings (125 bytes each) without reading anything, on small socket
 * buffers. Prints "stalled" once the server has taken nothing for a second (it stopped reading),
 * and at the end what was sent and how it ended (dropped by the server, or all sent; then the
 * socket is held 15 s more).
 *
 * <pre>
 *   java -cp target/test-classes bench/Flood.java PORT PATH MEGABYTES [COOKIE ORIGIN]
 * </pre>
 */
public class Flood {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String path = args[1];
    long max = Long.parseLong(args[2]) * 1024 * 1024;
    Map<String, String> headers = new HashMap<>();
    if (args.length > 4) {
      headers.put("Cookie", args[3]);
      headers.put("Origin", args[4]);
    }
    RawWebSocket socket = RawWebSocket.open(port, path, headers, 64 * 1024);

    byte[] pings = pings();
    AtomicLong sent = new AtomicLong();
    AtomicBoolean ended = new AtomicBoolean();
    long began = System.nanoTime();
    Thread watcher =
        new Thread(
            () -> {
              long last = -1;
              try {
                while (!ended.get()) {
                  Thread.sleep(1000);
                  long now = sent.get();
                  if (now == last && !ended.get()) {
                    System.out.printf(
                        "stalled after %.1f s, %d MB sent%n", seconds(began), now >> 20);
                    return;
                  }
                  last = now;
                }
              } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
              }
            });
    watcher.setDaemon(true);
    watcher.start();
    String how = "all sent";
    try {
      while (sent.get() < max) {
        socket.sendRaw(pings);
        sent.addAndGet(pings.length);
      }
    } catch (UncheckedIOException dropped) {
      how = "dropped by the server (" + dropped.getCause().getMessage() + ")";
    }
    ended.set(true);
    System.out.printf(
        "%s: %.1f MB of pings sent in %.1f s, %s%n",
        path, sent.get() / 1048576.0, seconds(began), how);
    if (how.equals("all sent")) {
      // Held a while after the last ping, as a flooder would: what the server keeps for it shows.
      Thread.sleep(15_000);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** 64 KiB of final, masked pings of 125 bytes. */
  private static byte[] pings() {
    byte[] ping = new byte[2 + 4 + 125];
    ping[0] = (byte) (0x80 | RawWebSocket.PING);
    ping[1] = (byte) (0x80 | 125);
    byte[] batch = new byte[ping.length * (65536 / ping.length)];
    for (int at = 0; at < batch.length; at += ping.length) {
      System.arraycopy(ping, 0, batch, at, ping.length);
    }
    return batch;
  }
}
