package dev.aiaas.gateway.launcher;

import dev.aiaas.gateway.StartupException;
import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.config.ConfigException;
import dev.aiaas.gateway.config.ConfigLoader;
import dev.aiaas.gateway.config.Setting;
import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.db.EmbeddedDatabase;
import dev.aiaas.gateway.db.SchemaMigrator;
import dev.aiaas.gateway.encryption.MasterKeyRotation;
import dev.aiaas.gateway.users.PasswordReset;
import dev.aiaas.migrations.MigrationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code aiaas} command line: runs the platform, one of its roles, or the migrations. */
@Command(
    name = "aiaas",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Self-hosted, multi-tenant AI as a service. Without a command, runs 'serve'.",
    subcommands = {Main.Serve.class, Main.Gateway.class, Main.Worker.class, Main.Migrate.class, Main.Admin.class, Main.Keys.class},
    footerHeading = "%nConfiguration (environment variable, or the lower-case name without AIAAS_ as a YAML key):%n",
    footer = "%s")
public final class Main implements Callable<Integer> {

  /** Read by logback.xml when logging starts, before any configuration file could be. */
  static final String LOG_LEVEL_ENV = "AIAAS_LOG_LEVEL";

  @CommandLine.Mixin private ConfigOption configOption;

  private final Map<String, String> env;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  private Main(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /**
   * Runs the command with {@code env} as the environment; for the long-running commands returns
   * only if they fail. Returns the process exit code.
   */
  static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main(env)).setOut(out).setErr(err).setExecutionExceptionHandler((e, cmd, parsed) -> {
      // Operator mistakes get one readable line; anything else is a bug and keeps its stack trace.
      if (!(e instanceof ConfigException || e instanceof StartupException)) {
        e.printStackTrace(cmd.getErr());
      }
      cmd.getErr().println("aiaas: " + e.getMessage());
      return 1;
    });
    cli.getCommandSpec().usageMessage().footer(settingsTable());
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    return runForever(configOption.load(env), Role.SERVE, false);
  }

  /** Starts the platform and keeps the process alive until SIGTERM or Ctrl-C, which stop it gracefully. */
  static int runForever(AiaasConfig config, Role role, boolean cluster) {
    Platform platform;
    try {
      platform = Platform.start(config, role, cluster);
    } catch (StartupException | ConfigException e) {
      System.err.println("aiaas: " + e.getMessage());
      return 1;
    }
    Thread shutdown = new Thread(platform::close, "aiaas-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    // Vert.x's non-daemon threads keep the JVM up; parking here keeps System.exit from running.
    Object forever = new Object();
    synchronized (forever) {
      while (true) {
        try {
          forever.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return 0;
        }
      }
    }
  }

  private static String settingsTable() {
    return Arrays.stream(Setting.values())
        .map(s -> String.format("  %-31s %s%s", s.envName(), s.meaning(),
            s.defaultValue() == null ? "" : " [default: " + s.defaultValue() + "]"))
        .collect(Collectors.joining("%n")) + "%n  " + String.format("%-31s %s", ConfigLoader.CONFIG_FILE_ENV, "YAML configuration file (same as --config)")
        + "%n  " + String.format("%-31s %s", LOG_LEVEL_ENV, "log level of the platform's own loggers (environment only) [default: INFO]");
  }

  /** {@code --config FILE}, shared by every command. */
  static final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (default: $AIAAS_CONFIG)")
    Path file;

    AiaasConfig load(Map<String, String> env) {
      return ConfigLoader.load(Optional.ofNullable(file), env);
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Run gateway and workers in one process (the default). Without AIAAS_DB_URL, starts an embedded PostgreSQL in $AIAAS_DATA_DIR/pg.")
  static final class Serve implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption configOption;
    @CommandLine.ParentCommand Main main;

    @Override
    public Integer call() {
      return runForever(configOption.load(main.env), Role.SERVE, false);
    }
  }

  @Command(name = "gateway", mixinStandardHelpOptions = true,
      description = "Run only the HTTP gateway. With --cluster it joins the Hazelcast cluster and dispatches to workers on other machines.")
  static final class Gateway implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption configOption;
    @CommandLine.ParentCommand Main main;

    @Option(names = "--cluster", description = "join the Hazelcast cluster (members from AIAAS_CLUSTER_MEMBERS)")
    boolean cluster;

    @Override
    public Integer call() {
      return runForever(configOption.load(main.env), Role.GATEWAY, cluster);
    }
  }

  @Command(name = "worker", mixinStandardHelpOptions = true,
      description = "Run only the DJL worker verticles (one per device). Needs AIAAS_DB_URL: workers read datasets from the platform's PostgreSQL. With --cluster they serve the gateways of the cluster.")
  static final class Worker implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption configOption;
    @CommandLine.ParentCommand Main main;

    @Option(names = "--cluster", description = "join the Hazelcast cluster (members from AIAAS_CLUSTER_MEMBERS)")
    boolean cluster;

    @Override
    public Integer call() {
      return runForever(configOption.load(main.env), Role.WORKER, cluster);
    }
  }

  @Command(name = "migrate", mixinStandardHelpOptions = true,
      description = "Apply the database migrations and exit (AIAAS_DB_URL, or the embedded database in $AIAAS_DATA_DIR/pg). Running it again is a no-op.")
  static final class Migrate implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption configOption;
    @CommandLine.ParentCommand Main main;

    @Override
    public Integer call() {
      AiaasConfig config = configOption.load(main.env);
      EmbeddedDatabase embedded = null;
      try {
        DatabaseUrl url;
        if (config.databaseUrl().isPresent()) {
          url = config.databaseUrl().get();
        } else {
          embedded = EmbeddedDatabase.start(config.embeddedDatabaseDir());
          url = embedded.url();
        }
        MigrationReport report = SchemaMigrator.migrate(url);
        main.spec.commandLine().getOut().printf("%s: %d migration(s) applied, schema at version %s%n", url, report.applied(), report.currentVersion());
        return 0;
      } finally {
        if (embedded != null) {
          embedded.close();
        }
      }
    }
  }

  @Command(name = "admin", mixinStandardHelpOptions = true, description = "Operator tasks on the platform's database.",
      subcommands = {Main.ResetPassword.class})
  static final class Admin implements Callable<Integer> {
    @CommandLine.ParentCommand Main main;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      throw new CommandLine.ParameterException(spec.commandLine(), "name a task, e.g. 'admin reset-password --email E'");
    }
  }

  @Command(name = "reset-password", mixinStandardHelpOptions = true,
      description = {"Give an account (e.g. the platform admin) a new generated password, printed once on stdout,",
          "and end all its sessions. Uses AIAAS_DB_URL, or the embedded database in $AIAAS_DATA_DIR/pg: the running",
          "platform's server if it is up (gateways hear of the ended sessions at once), else started for the task."})
  static final class ResetPassword implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption configOption;
    @CommandLine.ParentCommand Admin admin;

    @Option(names = "--email", required = true, paramLabel = "E", description = "the account's email")
    String email;

    @Override
    public Integer call() {
      AiaasConfig config = configOption.load(admin.main.env);
      EmbeddedDatabase embedded = null;
      try {
        DatabaseUrl url;
        if (config.databaseUrl().isPresent()) {
          url = config.databaseUrl().get();
        } else {
          Optional<DatabaseUrl> running = EmbeddedDatabase.running(config.embeddedDatabaseDir());
          if (running.isPresent()) {
            url = running.get();
          } else {
            embedded = EmbeddedDatabase.start(config.embeddedDatabaseDir());
            url = embedded.url();
          }
        }
        String password = new PasswordReset().reset(url, email);
        // On the console only, never through the logger, so log shipping never carries it.
        PrintWriter out = admin.main.spec.commandLine().getOut();
        out.println("New password for " + email + " (shown this once): " + password);
        out.println("All sessions of " + email + " have ended.");
        return 0;
      } finally {
        if (embedded != null) {
          embedded.close();
        }
      }
    }
  }

  @Command(name = "keys", mixinStandardHelpOptions = true, description = "Encryption-at-rest key tasks.",
      subcommands = {Main.RotateMaster.class})
  static final class Keys implements Callable<Integer> {
    @CommandLine.ParentCommand Main main;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      throw new CommandLine.ParameterException(spec.commandLine(), "name a task, e.g. 'keys rotate-master'");
    }
  }

  @Command(name = "rotate-master", mixinStandardHelpOptions = true,
      description = {"Re-wrap every tenant's data key under a new master key (generated, or --new-key-file) without",
          "re-encrypting any data, then replace AIAAS_MASTER_KEY_FILE with it (the old key is kept beside it as",
          "<file>.old). Stop every node first; safe to interrupt and run again. Then give every node the new file."})
  static final class RotateMaster implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption configOption;
    @CommandLine.ParentCommand Keys keys;

    @Option(names = "--new-key-file", paramLabel = "FILE", description = "the new master key (one base64 line of 32 bytes); default: generate one")
    Path newKeyFile;

    @Override
    public Integer call() {
      AiaasConfig config = configOption.load(keys.main.env);
      EmbeddedDatabase embedded = null;
      try {
        DatabaseUrl url;
        if (config.databaseUrl().isPresent()) {
          url = config.databaseUrl().get();
        } else {
          if (EmbeddedDatabase.running(config.embeddedDatabaseDir()).isPresent()) {
            throw new StartupException("the platform is running on " + config.embeddedDatabaseDir() + "; stop it before rotating the master key");
          }
          embedded = EmbeddedDatabase.start(config.embeddedDatabaseDir());
          url = embedded.url();
        }
        SchemaMigrator.migrate(url); // the key tables come with the schema; a no-op when it is current
        MasterKeyRotation.Result result = new MasterKeyRotation().rotate(url, config.masterKeyFile(), Optional.ofNullable(newKeyFile));
        PrintWriter out = keys.main.spec.commandLine().getOut();
        out.printf("Re-wrapped %d data key(s) from master key %s to %s.%n", result.rewrapped(), result.fromKeyId(), result.toKeyId());
        out.printf("%s now holds the new key; the old one is kept in %s (database backups taken before now need it).%n",
            config.masterKeyFile(), result.oldKeyFile());
        out.println("Give every node the new key file, then start them.");
        return 0;
      } finally {
        if (embedded != null) {
          embedded.close();
        }
      }
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"aiaas " + (version == null ? "(development build)" : version)};
    }
  }
}
