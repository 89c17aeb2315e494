package com.example.starter.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test hosts on one machine: network namespaces with their own address each, on a bridge of their
 * own that this machine also sits on. Made by the test, and removed by it. Needs root and iproute2.
 */
final class NetworkNamespaces implements AutoCloseable {

  private final String id =
      Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  private final String subnet = "10.213." + ThreadLocalRandom.current().nextInt(1, 250);
  private final String bridge = "stbr" + id;
  private final List<String> namespaces = new ArrayList<>();

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
  }

  /** This machine's own address on the bridge, where the hosts reach servers the test runs. */
  String machine() {
    return subnet + ".1";
  }

  /** A new host; answers its address. */
  String addHost() throws IOException, InterruptedException {
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
    return address;
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
    }
    ip("link", "delete", bridge);
  }

  private static void ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output.trim());
    }
  }
}
