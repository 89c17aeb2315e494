package com.example.starter.cluster;

import com.example.starter.config.AppConfig;
import com.example.starter.config.ConfigException;
import com.example.starter.config.Setting;
import com.hazelcast.config.Config;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The Hazelcast cluster manager and event-bus addresses of a clustered process. */
public final class Cluster {

  static final String AUTO = "auto";

  private Cluster() {}

  /**
   * Event-bus host and public host set explicitly: left unset, a node tells the others to reach it
   * on localhost, which inside a container is nobody.
   */
  public static EventBusOptions eventBusOptions(AppConfig config) {
    return new EventBusOptions().setHost(host(config)).setClusterPublicHost(publicHost(config));
  }

  public static HazelcastClusterManager clusterManager(AppConfig config) {
    Properties properties = new Properties();
    properties.setProperty("cluster.host", host(config));
    properties.setProperty("cluster.public.host", publicHost(config));
    properties.setProperty("cluster.port", String.valueOf(config.clusterPort()));
    properties.setProperty("cluster.members", config.clusterMembers());
    String file = config.clusterConfig();
    try (InputStream xml = open(file)) {
      Config hazelcast = new XmlConfigBuilder(xml).setProperties(properties).build();
      TcpIpConfig tcpIp = hazelcast.getNetworkConfig().getJoin().getTcpIpConfig();
      if (tcpIp.isEnabled()) {
        tcpIp.setMembers(everyAddress(tcpIp.getMembers()));
      }
      return new HazelcastClusterManager(hazelcast);
    } catch (IOException e) {
      throw new ConfigException(Setting.CLUSTER_CONFIG, file, "not readable: " + e.getMessage());
    }
  }

  /**
   * Each member given by host name becomes every address the name has now: Hazelcast's TCP-IP join
   * tries only the first, and a name can stand for several nodes (the replicas of a compose
   * service). A name that does not resolve yet is left for Hazelcast to resolve when it joins.
   */
  static List<String> everyAddress(List<String> members) {
    List<String> addresses = new ArrayList<>();
    for (String member : members) {
      int colon = member.lastIndexOf(':');
      String host = colon < 0 ? member : member.substring(0, colon);
      String port = colon < 0 ? "" : member.substring(colon);
      try {
        for (InetAddress address : InetAddress.getAllByName(host)) {
          addresses.add(address.getHostAddress() + port);
        }
      } catch (UnknownHostException e) {
        addresses.add(member);
      }
    }
    return addresses;
  }

  /** The file on disk, else the copy inside the jar. */
  private static InputStream open(String file) throws IOException {
    Path path = Path.of(file);
    if (Files.exists(path)) {
      return Files.newInputStream(path);
    }
    InputStream bundled = Cluster.class.getClassLoader().getResourceAsStream(file);
    if (bundled == null) {
      throw new IOException("no such file");
    }
    return bundled;
  }

  /**
   * Hazelcast binds to an interface address, so a host name is resolved; {@code auto} is the
   * address of this machine's own host name, which in a container is the container's address on its
   * network.
   */
  private static String host(AppConfig config) {
    String host = config.clusterHost();
    if (AUTO.equals(host)) {
      try {
        return InetAddress.getLocalHost().getHostAddress();
      } catch (UnknownHostException e) {
        throw new ConfigException(
            Setting.CLUSTER_HOST, host, "unusable: this host's name does not resolve");
      }
    }
    return resolve(Setting.CLUSTER_HOST, host);
  }

  private static String publicHost(AppConfig config) {
    String publicHost = config.clusterPublicHost();
    return publicHost.isEmpty() ? host(config) : resolve(Setting.CLUSTER_PUBLIC_HOST, publicHost);
  }

  private static String resolve(Setting key, String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException(key, host, "not a known host or address");
    }
  }
}
