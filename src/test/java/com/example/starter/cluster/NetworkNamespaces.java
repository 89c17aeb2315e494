package com.example.starter.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test hosts on one machine: network namespaces with their own address each, on a bridge of their
 * own that this machine also sits on, and host names that resolve inside every one of them (as a
 * container network's DNS does). Made by the test, and removed by it. Needs root and iproute2.
 */
final class NetworkNamespaces implements AutoCloseable {

  private final String id =
      Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  private final String subnet = "10.213." + ThreadLocalRandom.current().nextInt(1, 250);
  private final String bridge = "stbr" + id;
  private final List<String> namespaces = new ArrayList<>();

  /** The lines of every host's {@code /etc/hosts}: an address and the names it answers to. */
  private final List<String> names = new ArrayList<>(List.of("127.0.0.1 localhost"));

  /** Whether this machine lets us make namespaces: root, iproute2, and a kernel that allows it. */
  static String whyNot() {
    try {
      Process probe =
          new ProcessBuilder("ip", "netns", "add", "stprobe" + ProcessHandle.current().pid())
              .redirectErrorStream(true)
              .start();
      String output = new String(probe.getInputStream().readAllBytes());
      if (!probe.waitFor(10, TimeUnit.SECONDS) || probe.exitValue() != 0) {
        return "ip netns add failed: " + output.trim();
      }
      new ProcessBuilder("ip", "netns", "delete", "stprobe" + ProcessHandle.current().pid())
          .start()
          .waitFor(10, TimeUnit.SECONDS);
      return null;
    } catch (IOException e) {
      return "no ip command (install iproute2): " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  NetworkNamespaces() throws IOException, InterruptedException {
    ip("link", "add", bridge, "type", "bridge");
    ip("addr", "add", subnet + ".1/24", "dev", bridge);
    ip("link", "set", bridge, "up");
    if (FIREWALL) {
      run(forwardWithinBridge("-I"));
    }
  }

  /**
   * Whether iptables is here. A Docker engine sets the FORWARD chain's policy to DROP and makes
   * bridged traffic pass that chain, which would cut these hosts off from each other.
   */
  private static final boolean FIREWALL = Files.isExecutable(Path.of("/usr/sbin/iptables"));

  private List<String> forwardWithinBridge(String action) {
    return List.of("iptables", action, "FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT");
  }

  /** This machine's own address on the bridge, where the hosts reach servers the test runs. */
  String machine() {
    return subnet + ".1";
  }

  /**
   * A new host, known inside every host by {@code names} (a name given to several hosts resolves to
   * all their addresses); answers its address.
   */
  String addHost(String... names) throws IOException, InterruptedException {
    int number = namespaces.size() + 1;
    String namespace = "stns" + id + number;
    String veth = "stve" + id + number;
    String address = subnet + "." + (10 + number);
    ip("netns", "add", namespace);
    namespaces.add(namespace);
    ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", namespace);
    ip("link", "set", veth, "master", bridge, "up");
    ip("-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
    ip("-n", namespace, "link", "set", "eth0", "up");
    ip("-n", namespace, "link", "set", "lo", "up");
    if (names.length > 0) {
      this.names.add(address + " " + String.join(" ", names));
    }
    writeHostsFiles();
    return address;
  }

  /**
   * {@code ip netns exec} shows a program {@code /etc/netns/NAME/hosts} as its {@code /etc/hosts}:
   * every host gets the names of all.
   */
  private void writeHostsFiles() throws IOException {
    for (String namespace : namespaces) {
      Path hosts = etc(namespace).resolve("hosts");
      Files.createDirectories(hosts.getParent());
      Files.write(hosts, names);
    }
  }

  private static Path etc(String namespace) {
    return Path.of("/etc/netns", namespace);
  }

  /** The command prefix that runs a program inside the host with this address. */
  List<String> exec(String address) {
    int number = Integer.parseInt(address.substring(address.lastIndexOf('.') + 1)) - 10;
    return List.of("ip", "netns", "exec", namespaces.get(number - 1));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    for (String namespace : namespaces) {
      ip("netns", "delete", namespace);
      Path etc = etc(namespace);
      Files.deleteIfExists(etc.resolve("hosts"));
      Files.deleteIfExists(etc);
    }
    ip("link", "delete", bridge);
    if (FIREWALL) {
      run(forwardWithinBridge("-D"));
    }
  }

  private static void ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    run(command);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output.trim());
    }
  }
}
