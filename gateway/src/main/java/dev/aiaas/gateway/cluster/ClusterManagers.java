package dev.aiaas.gateway.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/**
 * The Hazelcast cluster manager gateway and worker processes join with {@code --cluster}.
 * Members are found over TCP from {@code AIAAS_CLUSTER_MEMBERS}: multicast is off, since it is
 * rarely allowed where the platform runs and would let strangers' nodes join.
 */
public final class ClusterManagers {

  private ClusterManagers() {}

  public static HazelcastClusterManager hazelcast(List<String> members, String clusterName) {
    System.setProperty("hazelcast.logging.type", "slf4j");
    System.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x's defaults (maps and multimaps it needs), with our discovery on top.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of("127.0.0.1") : members);
    return new HazelcastClusterManager(config);
  }
}
