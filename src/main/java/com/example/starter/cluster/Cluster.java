package com.example.starter.cluster;

import com.example.starter.config.ConfigException;
import com.example.starter.config.ConfigKeys;
import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The Hazelcast cluster manager and event-bus addresses of a clustered process. */
public final class Cluster {

  static final String AUTO = "auto";

  private Cluster() {
  }

  /**
   * Event-bus host and public host set explicitly: left unset, a node tells the others to reach it
   * on localhost, which inside a container is nobody.
   */
  public static EventBusOptions eventBusOptions(JsonObject config) {
    return new EventBusOptions()
      .setHost(host(config))
      .setClusterPublicHost(publicHost(config));
  }

  public static HazelcastClusterManager clusterManager(JsonObject config) {
    Properties properties = new Properties();
    properties.setProperty("cluster.host", host(config));
    properties.setProperty("cluster.public.host", publicHost(config));
    properties.setProperty("cluster.port", String.valueOf(config.getInteger(ConfigKeys.CLUSTER_PORT)));
    properties.setProperty("cluster.members", config.getString(ConfigKeys.CLUSTER_MEMBERS));
    String file = config.getString(ConfigKeys.CLUSTER_CONFIG);
    try (InputStream xml = open(file)) {
      Config hazelcast = new XmlConfigBuilder(xml).setProperties(properties).build();
      return new HazelcastClusterManager(hazelcast);
    } catch (IOException e) {
      throw new ConfigException(ConfigKeys.CLUSTER_CONFIG, file, "not readable: " + e.getMessage());
    }
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
   * Hazelcast binds to an interface address, so a host name is resolved; {@code auto} is the address
   * of this machine's own host name, which in a container is the container's address on its network.
   */
  private static String host(JsonObject config) {
    String host = config.getString(ConfigKeys.CLUSTER_HOST);
    if (AUTO.equals(host)) {
      try {
        return InetAddress.getLocalHost().getHostAddress();
      } catch (UnknownHostException e) {
        throw new ConfigException(ConfigKeys.CLUSTER_HOST, host, "unusable: this host's name does not resolve");
      }
    }
    return resolve(ConfigKeys.CLUSTER_HOST, host);
  }

  private static String publicHost(JsonObject config) {
    String publicHost = config.getString(ConfigKeys.CLUSTER_PUBLIC_HOST);
    return publicHost.isEmpty() ? host(config) : resolve(ConfigKeys.CLUSTER_PUBLIC_HOST, publicHost);
  }

  private static String resolve(String key, String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException(key, host, "not a known host or address");
    }
  }
}
