package dev.aiaas.gateway.config;

import java.util.Locale;

/**
 * Every configuration setting, with its default and meaning. The environment variable is
 * {@code AIAAS_<NAME>}; the YAML key is the lower-case name ({@code http_port: 8080}).
 */
public enum Setting {
  HTTP_PORT("8080", "gateway port (0 = pick a free one and log it)"),
  HTTP_HOST("0.0.0.0", "bind address"),
  DATA_DIR("./data", "embedded PostgreSQL data, local model cache, generated keys"),
  DB_URL(null, "postgresql://user:pass@host:port/db; unset = embedded PostgreSQL"),
  ADMIN_EMAIL(null, "platform admin created at first start"),
  ADMIN_PASSWORD(null, "its password; if unset one is generated and printed once"),
  JWT_KEY_FILE(null, "JWT signing key; default $AIAAS_DATA_DIR/jwt-key.pem"),
  MASTER_KEY_FILE(null, "master key wrapping the tenants' data keys (encryption at rest); default $AIAAS_DATA_DIR/master.key"),
  WORKER_DEVICES("auto", "auto (every GPU DJL sees, else CPU), cpu, or gpu0,gpu1,..."),
  CLUSTER_MEMBERS(null, "host:port,... Hazelcast TCP members for --cluster"),
  MAX_BODY_BYTES("1048576", "largest JSON request body in bytes; larger bodies get 413"),
  SHUTDOWN_TIMEOUT_SECONDS("30", "how long in-flight requests may finish at shutdown"),
  ACCESS_LOG("true", "one INFO line per HTTP request on the aiaas.access logger; false turns it off"),
  IMAGE_ARCHIVE_MAX_ENTRIES("250000", "entries (images, folders, ignored files) an image dataset zip may hold"),
  IMAGE_ARCHIVE_MAX_ENTRY_BYTES("10485760", "decompressed bytes of one entry of an image dataset zip"),
  IMAGE_ARCHIVE_MAX_BYTES("4294967296", "decompressed bytes of a whole image dataset zip (streamed, never held)"),
  IMAGE_MAX_PIXELS("50000000", "width x height of one image in a dataset, checked before it is decoded"),
  WEBHOOK_ALLOW_PRIVATE("false", "true lets alert webhooks target loopback, private, link-local and unique-local addresses");

  private final String defaultValue;
  private final String meaning;

  Setting(String defaultValue, String meaning) {
    this.defaultValue = defaultValue;
    this.meaning = meaning;
  }

  /** The environment variable that sets it. */
  public String envName() {
    return "AIAAS_" + name();
  }

  /** The key in the YAML configuration file. */
  public String yamlKey() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The default, or null when unset by default. */
  public String defaultValue() {
    return defaultValue;
  }

  public String meaning() {
    return meaning;
  }
}
