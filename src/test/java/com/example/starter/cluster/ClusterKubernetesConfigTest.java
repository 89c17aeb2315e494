package com.example.starter.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.example.starter.TestConfig;
import com.example.starter.config.AppConfig;
import com.example.starter.config.Setting;
import com.hazelcast.config.Config;
import com.hazelcast.config.ConfigXmlGenerator;
import com.hazelcast.config.DiscoveryConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;

/**
 * {@code conf/cluster-kubernetes.xml}, read as the application reads it: Hazelcast's Kubernetes
 * discovery in DNS-lookup mode, {@code CLUSTER_MEMBERS} as the headless Service's name, and
 * otherwise the same configuration as {@code conf/cluster.xml}.
 */
class ClusterKubernetesConfigTest {

  private static final String KUBERNETES = "conf/cluster-kubernetes.xml";

  private static AppConfig config(String file, String members, int port) {
    return AppConfig.from(
        new JsonObject()
            .put(Setting.CLUSTER_HOST.name(), "127.0.0.1")
            .put(Setting.CLUSTER_PUBLIC_HOST.name(), "")
            .put(Setting.CLUSTER_PORT.name(), port)
            .put(Setting.CLUSTER_MEMBERS.name(), members)
            .put(Setting.CLUSTER_CONFIG.name(), file));
  }

  @Test
  void joinsThroughTheHeadlessServicesDnsNameAndNothingElse() {
    Config hazelcast = Cluster.clusterManager(config(KUBERNETES, "starter-hz", 5701)).getConfig();

    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperties())
        .containsOnly(entry("service-dns", "starter-hz"), entry("service-port", "5701"));
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getAwsConfig().isEnabled()).isFalse();
    assertThat(join.getDiscoveryConfig().getDiscoveryStrategyConfigs()).isEmpty();
    assertThat(hazelcast.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
    assertThat(hazelcast.getProperty("hazelcast.local.localAddress")).isEqualTo("127.0.0.1");
    assertThat(hazelcast.getNetworkConfig().getPublicAddress()).isEqualTo("127.0.0.1:5701");
  }

  @Test
  void everythingButTheJoinIsTheSameAsClusterXml() {
    Config kubernetes = Cluster.clusterManager(config(KUBERNETES, "starter-hz", 5701)).getConfig();
    Config tcpIp =
        Cluster.clusterManager(config("conf/cluster.xml", "127.0.0.1:5701", 5701)).getConfig();
    for (Config each : new Config[] {kubernetes, tcpIp}) {
      each.getNetworkConfig().setJoin(new JoinConfig());
      each.getNetworkConfig().getJoin().setDiscoveryConfig(new DiscoveryConfig());
    }
    assertThat(new ConfigXmlGenerator(true, false).generate(kubernetes))
        .isEqualTo(new ConfigXmlGenerator(true, false).generate(tcpIp));
  }

  /**
   * A real member started with the file: the Kubernetes discovery is on this classpath and joins
   * through it. The name here is a loopback address, which resolves to itself, so the member finds
   * only itself: a cluster of one.
   */
  @Test
  void aMemberStartsWithKubernetesDiscovery() {
    int port = TestConfig.reservedPort();
    AppConfig config = config(KUBERNETES, "127.0.0.1", port);
    HazelcastClusterManager manager = Cluster.clusterManager(config);
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setEventBusOptions(Cluster.eventBusOptions(config)))
            .withClusterManager(manager)
            .buildClustered()
            .await();
    try {
      HazelcastInstance member = manager.getHazelcastInstance();
      assertThat(member.getCluster().getMembers()).hasSize(1);
      assertThat(member.getCluster().getLocalMember().getAddress().getPort()).isEqualTo(port);
      assertThat(((HazelcastInstanceProxy) member).getOriginal().node.getJoiner())
          .extracting(joiner -> joiner.getClass().getSimpleName())
          .isEqualTo("DiscoveryJoiner");
    } finally {
      vertx.close().await();
    }
  }
}
