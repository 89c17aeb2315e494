package com.example.starter.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.config.AppConfig;
import com.example.starter.config.Setting;
import com.hazelcast.config.Config;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code CLUSTER_MEMBERS} as {@code conf/cluster.xml} gets it. Members by host name joining across
 * hosts is {@link SplitDeploymentIT}'s: it needs hosts with addresses of their own.
 */
class ClusterMembersTest {

  @Test
  void aHostNameBecomesItsAddressesAndAnAddressOrAnUnknownNameStaysAsGiven() {
    assertThat(
            Cluster.everyAddress(
                List.of("localhost:5701", "10.1.2.3:5702", "not-yet-started.invalid:5701")))
        .contains("127.0.0.1:5701")
        .doesNotContain("localhost:5701")
        .endsWith("10.1.2.3:5702", "not-yet-started.invalid:5701");
  }

  @Test
  void theBindAddressIsPinnedWithoutAnInterfaceListThatWouldDropMembersGivenByName() {
    Config hazelcast =
        Cluster.clusterManager(
                AppConfig.from(
                    new JsonObject()
                        .put(Setting.CLUSTER_HOST.name(), "127.0.0.1")
                        .put(Setting.CLUSTER_PUBLIC_HOST.name(), "")
                        .put(Setting.CLUSTER_PORT.name(), 5701)
                        .put(Setting.CLUSTER_MEMBERS.name(), "localhost:5701")
                        .put(Setting.CLUSTER_CONFIG.name(), "conf/cluster.xml")))
            .getConfig();

    assertThat(hazelcast.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
    assertThat(hazelcast.getProperty("hazelcast.local.localAddress")).isEqualTo("127.0.0.1");
    assertThat(hazelcast.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(hazelcast.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .contains("127.0.0.1:5701");
  }
}
