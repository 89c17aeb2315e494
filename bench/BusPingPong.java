import com.hazelcast.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Event-bus request/reply between two clustered processes, for bench/bus.sh: Vert.x with Hazelcast
 * as the application clusters it (TCP-IP join on loopback, the event bus on 127.0.0.1), and a
 * bench-only address.
 *
 * <pre>
 * java -cp target/starter.jar bench/BusPingPong.java answer  PORT MEMBERS
 * java -cp target/starter.jar bench/BusPingPong.java request PORT MEMBERS IN_FLIGHT SECONDS
 * </pre>
 *
 * The answering process prints "ready" once its consumer is registered cluster-wide. The requesting
 * one keeps IN_FLIGHT requests outstanding for SECONDS and prints "replies/s p99ms".
 */
public class BusPingPong {

  private static final String ADDRESS = "bench.ping";

  public static void main(String[] args) throws Exception {
    Vertx vertx = clustered(Integer.parseInt(args[1]), args[2]);
    if (args[0].equals("answer")) {
      vertx
          .eventBus()
          .<String>consumer(ADDRESS, message -> message.reply("pong"))
          .completion()
          .await();
      System.out.println("ready");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
      return;
    }
    int inFlight = Integer.parseInt(args[3]);
    long seconds = Long.parseLong(args[4]);
    Recorder latencies = new Recorder(3);
    AtomicLong replies = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long start = System.nanoTime();
    vertx.runOnContext(
        begin -> {
          for (int i = 0; i < inFlight; i++) {
            ping(vertx, latencies, replies, end);
          }
        });
    vertx.timer(seconds * 1000).await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%.1f %.2f%n",
        replies.get() / elapsed, latencies.getIntervalHistogram().getValueAtPercentile(99) / 1e6);
    vertx.close().await();
  }

  /** One request; on its reply, the next, until the end. */
  private static void ping(Vertx vertx, Recorder latencies, AtomicLong replies, long end) {
    long sent = System.nanoTime();
    vertx
        .eventBus()
        .request(ADDRESS, "ping")
        .onComplete(
            reply -> {
              long now = System.nanoTime();
              if (reply.succeeded()) {
                latencies.recordValue(now - sent);
                replies.incrementAndGet();
              }
              if (now < end) {
                ping(vertx, latencies, replies, end);
              }
            });
  }

  private static Vertx clustered(int port, String members) {
    Config hazelcast = new Config().setClusterName("bench-bus");
    hazelcast.setProperty("hazelcast.logging.type", "none");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast.setProperty("hazelcast.wait.seconds.before.join", "0");
    hazelcast.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    hazelcast.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    hazelcast.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    hazelcast.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    hazelcast.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember(members);
    return Vertx.builder()
        .with(
            new VertxOptions()
                .setEventBusOptions(
                    new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1")))
        .withClusterManager(new HazelcastClusterManager(hazelcast))
        .buildClustered()
        .await();
  }
}
