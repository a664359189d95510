package dev.aiaas.gateway.config;

import dev.aiaas.gateway.alerts.AlertTiming;
import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.worker.api.DeviceSetting;
import dev.aiaas.worker.images.ImageArchive;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads {@link AiaasConfig} from defaults, then an optional YAML file, then {@code AIAAS_*}
 * environment variables (later sources win). Any invalid value fails with a {@link
 * ConfigException} naming the setting, so a bad deployment stops before it serves anything.
 */
public final class ConfigLoader {

  /** Environment variable naming the YAML file when {@code --config} is not given. */
  public static final String CONFIG_FILE_ENV = "AIAAS_CONFIG";

  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}");

  private ConfigLoader() {}

  /** Loads the configuration; {@code file} overrides {@code AIAAS_CONFIG}. */
  public static AiaasConfig load(Optional<Path> file, Map<String, String> env) {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      if (s.defaultValue() != null) {
        values.put(s, s.defaultValue());
      }
    }
    Optional<Path> yaml = file.or(() -> Optional.ofNullable(env.get(CONFIG_FILE_ENV)).filter(v -> !v.isBlank()).map(Path::of));
    yaml.ifPresent(path -> values.putAll(readYaml(path)));
    for (Setting s : Setting.values()) {
      String v = env.get(s.envName());
      if (v != null && !v.isBlank()) {
        values.put(s, v.trim());
      }
    }
    return build(values);
  }

  private static Map<Setting, String> readYaml(Path path) {
    if (!Files.isReadable(path)) {
      throw new ConfigException("--config", "cannot read configuration file " + path);
    }
    Object root;
    try (Reader reader = Files.newBufferedReader(path)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (IOException | YAMLException e) {
      throw new ConfigException("--config", "cannot parse " + path + ": " + e.getMessage());
    }
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    if (root == null) {
      return values;
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException("--config", path + " must be a mapping of setting: value");
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      Setting setting = Arrays.stream(Setting.values())
          .filter(s -> s.yamlKey().equals(key))
          .findFirst()
          .orElseThrow(() -> new ConfigException(key, "unknown setting in " + path));
      Object value = e.getValue();
      if (value instanceof List<?> list) {
        values.put(setting, String.join(",", list.stream().map(String::valueOf).toList()));
      } else if (value instanceof Map<?, ?>) {
        throw new ConfigException(key, "must be a single value, not a mapping");
      } else if (value != null) {
        values.put(setting, String.valueOf(value));
      }
    }
    return values;
  }

  private static AiaasConfig build(Map<Setting, String> v) {
    Path dataDir = path(Setting.DATA_DIR, v.get(Setting.DATA_DIR));
    String workerDevices = v.get(Setting.WORKER_DEVICES);
    try {
      DeviceSetting.parse(workerDevices);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Setting.WORKER_DEVICES.envName(), e.getMessage());
    }
    return new AiaasConfig(
        intIn(Setting.HTTP_PORT, v.get(Setting.HTTP_PORT), 0, 65535),
        v.get(Setting.HTTP_HOST),
        dataDir,
        Optional.ofNullable(v.get(Setting.DB_URL)).map(ConfigLoader::databaseUrl),
        Optional.ofNullable(v.get(Setting.ADMIN_EMAIL)).map(ConfigLoader::email),
        Optional.ofNullable(v.get(Setting.ADMIN_PASSWORD)),
        Optional.ofNullable(v.get(Setting.JWT_KEY_FILE))
            .map(p -> path(Setting.JWT_KEY_FILE, p))
            .orElse(dataDir.resolve("jwt-key.pem")),
        Optional.ofNullable(v.get(Setting.MASTER_KEY_FILE))
            .map(p -> path(Setting.MASTER_KEY_FILE, p))
            .orElse(dataDir.resolve("master.key")),
        workerDevices,
        members(v.get(Setting.CLUSTER_MEMBERS)),
        intIn(Setting.MAX_BODY_BYTES, v.get(Setting.MAX_BODY_BYTES), 1024, Integer.MAX_VALUE),
        Duration.ofSeconds(intIn(Setting.SHUTDOWN_TIMEOUT_SECONDS, v.get(Setting.SHUTDOWN_TIMEOUT_SECONDS), 0, 3600)),
        bool(Setting.ACCESS_LOG, v.get(Setting.ACCESS_LOG)),
        new ImageArchive.Limits(
            intIn(Setting.IMAGE_ARCHIVE_MAX_ENTRIES, v.get(Setting.IMAGE_ARCHIVE_MAX_ENTRIES), 1, Integer.MAX_VALUE),
            longIn(Setting.IMAGE_ARCHIVE_MAX_ENTRY_BYTES, v.get(Setting.IMAGE_ARCHIVE_MAX_ENTRY_BYTES)),
            longIn(Setting.IMAGE_ARCHIVE_MAX_BYTES, v.get(Setting.IMAGE_ARCHIVE_MAX_BYTES)),
            longIn(Setting.IMAGE_MAX_PIXELS, v.get(Setting.IMAGE_MAX_PIXELS))),
        bool(Setting.WEBHOOK_ALLOW_PRIVATE, v.get(Setting.WEBHOOK_ALLOW_PRIVATE)),
        AlertTiming.DEFAULT);
  }

  private static boolean bool(Setting s, String raw) {
    return switch (raw.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(s.envName(), "must be true or false, got '" + raw + "'");
    };
  }

  /** A positive whole number that may pass 2^31 (byte counts). */
  private static long longIn(Setting s, String raw) {
    try {
      long value = Long.parseLong(raw.trim());
      if (value < 1) {
        throw new ConfigException(s.envName(), "must be at least 1, got " + raw);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(s.envName(), "must be a whole number, got '" + raw + "'");
    }
  }

  private static int intIn(Setting s, String raw, int min, int max) {
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        throw new ConfigException(s.envName(), "must be between " + min + " and " + max + ", got " + raw);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(s.envName(), "must be a whole number, got '" + raw + "'");
    }
  }

  private static Path path(Setting s, String raw) {
    try {
      return Path.of(raw).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException(s.envName(), "not a valid path: " + raw);
    }
  }

  private static DatabaseUrl databaseUrl(String raw) {
    try {
      return DatabaseUrl.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Setting.DB_URL.envName(), e.getMessage());
    }
  }

  private static String email(String raw) {
    if (!raw.matches("[^@\\s]+@[^@\\s]+")) {
      throw new ConfigException(Setting.ADMIN_EMAIL.envName(), "not an email address: " + raw);
    }
    return raw;
  }

  private static List<String> members(String raw) {
    if (raw == null) {
      return List.of();
    }
    List<String> members = Arrays.stream(raw.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
    for (String m : members) {
      if (!MEMBER.matcher(m).matches()) {
        throw new ConfigException(Setting.CLUSTER_MEMBERS.envName(), "expected host:port, got '" + m + "'");
      }
    }
    return members;
  }
}
