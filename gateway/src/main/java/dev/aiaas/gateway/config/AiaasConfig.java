package dev.aiaas.gateway.config;

import dev.aiaas.gateway.alerts.AlertTiming;
import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.worker.images.ImageArchive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The platform's configuration, read once at start from defaults, an optional YAML file and
 * {@code AIAAS_*} environment variables (see {@link ConfigLoader}). Immutable.
 *
 * @param httpPort gateway port; 0 picks a free one
 * @param httpHost bind address
 * @param dataDir embedded PostgreSQL data, local model cache, generated keys
 * @param databaseUrl external PostgreSQL; empty means embedded
 * @param adminEmail platform admin created at first start
 * @param adminPassword its password; never logged
 * @param jwtKeyFile the JWT signing key
 * @param masterKeyFile the master key that wraps the tenants' data keys; every node gets the same file
 * @param workerDevices {@code auto}, {@code cpu} or {@code gpu0,gpu1,...}
 * @param clusterMembers Hazelcast TCP members for {@code --cluster}
 * @param maxBodyBytes largest request body the gateway accepts before answering 413
 * @param shutdownTimeout how long in-flight requests may take to finish at shutdown
 * @param accessLog whether every HTTP request is logged on the {@code aiaas.access} logger
 * @param imageArchiveLimits what an uploaded image zip may hold; uploads are checked against them
 *     and workers read image datasets within them
 * @param webhookAllowPrivate whether alert webhooks may target loopback, private, link-local and
 *     unique-local addresses (off by default: a tenant must not reach the platform's own network)
 * @param alertTiming how often alerts are evaluated and webhooks retried; not a setting, tests shorten it
 */
public record AiaasConfig(
    int httpPort,
    String httpHost,
    Path dataDir,
    Optional<DatabaseUrl> databaseUrl,
    Optional<String> adminEmail,
    Optional<String> adminPassword,
    Path jwtKeyFile,
    Path masterKeyFile,
    String workerDevices,
    List<String> clusterMembers,
    long maxBodyBytes,
    Duration shutdownTimeout,
    boolean accessLog,
    ImageArchive.Limits imageArchiveLimits,
    boolean webhookAllowPrivate,
    AlertTiming alertTiming) {

  /** Where the embedded PostgreSQL keeps its files. */
  public Path embeddedDatabaseDir() {
    return dataDir.resolve("pg");
  }

  /** Where workers cache model parameters read from PostgreSQL. */
  public Path modelCacheDir() {
    return dataDir.resolve("model-cache");
  }

  /** A copy listening on another port; tests use port 0. */
  public AiaasConfig withHttpPort(int port) {
    return new AiaasConfig(port, httpHost, dataDir, databaseUrl, adminEmail, adminPassword,
        jwtKeyFile, masterKeyFile, workerDevices, clusterMembers, maxBodyBytes, shutdownTimeout, accessLog, imageArchiveLimits, webhookAllowPrivate,
        alertTiming);
  }

  /** A copy with other alert timing; tests use short intervals. */
  public AiaasConfig withAlertTiming(AlertTiming timing) {
    return new AiaasConfig(httpPort, httpHost, dataDir, databaseUrl, adminEmail, adminPassword,
        jwtKeyFile, masterKeyFile, workerDevices, clusterMembers, maxBodyBytes, shutdownTimeout, accessLog, imageArchiveLimits, webhookAllowPrivate,
        timing);
  }

  @Override
  public String toString() {
    // Records print every component; the admin password and the database password must not reach a log.
    return "AiaasConfig[httpPort=" + httpPort + ", httpHost=" + httpHost + ", dataDir=" + dataDir
        + ", database=" + databaseUrl.map(DatabaseUrl::toString).orElse("embedded")
        + ", adminEmail=" + adminEmail.orElse("(generated)")
        + ", adminPassword=" + adminPassword.map(p -> "***").orElse("(generated)")
        + ", jwtKeyFile=" + jwtKeyFile + ", masterKeyFile=" + masterKeyFile + ", workerDevices=" + workerDevices
        + ", clusterMembers=" + clusterMembers + ", maxBodyBytes=" + maxBodyBytes
        + ", shutdownTimeout=" + shutdownTimeout + ", accessLog=" + accessLog + ", imageArchiveLimits=" + imageArchiveLimits
        + ", webhookAllowPrivate=" + webhookAllowPrivate + ", alertTiming=" + alertTiming + "]";
  }
}
