package dev.aiaas.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The host name workers report as their node. */
final class LocalHost {

  private LocalHost() {}

  /** BLOCKING: may wait on a DNS lookup, so call it on a worker thread. */
  static String name() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      // A host without a resolvable name can still run workers; the node name is informational.
      String fromEnv = System.getenv("HOSTNAME");
      return fromEnv == null || fromEnv.isBlank() ? "localhost" : fromEnv;
    }
  }
}
