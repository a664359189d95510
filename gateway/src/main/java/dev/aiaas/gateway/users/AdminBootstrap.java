package dev.aiaas.gateway.users;

import dev.aiaas.gateway.auth.Hashing;
import dev.aiaas.gateway.auth.Passwords;
import dev.aiaas.gateway.config.AiaasConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;

/**
 * Creates the platform admin at the first start: from {@code AIAAS_ADMIN_EMAIL} and
 * {@code AIAAS_ADMIN_PASSWORD}, or with a generated password printed once on the console (not
 * through the logger, so log shipping never carries it). Later starts change nothing.
 */
public final class AdminBootstrap {

  /** The admin's email when {@code AIAAS_ADMIN_EMAIL} is unset. */
  public static final String DEFAULT_EMAIL = "admin@aiaas.local";

  private AdminBootstrap() {}

  /** Ensures an admin exists; returns one line saying where its credentials came from. */
  public static Future<String> ensure(Pool pool, UserStore users, Passwords passwords, AiaasConfig config, PrintStream console) {
    return users.anyPlatformAdmin().compose(exists -> {
      if (exists) {
        return Future.succeededFuture("admin: existing platform admin (created at an earlier start)");
      }
      String email = config.adminEmail().orElse(DEFAULT_EMAIL);
      boolean generated = config.adminPassword().isEmpty();
      String password = config.adminPassword().orElseGet(() -> Hashing.randomToken(18));
      return passwords.hash(password)
          .compose(hash -> pool.withTransaction(tx -> users.insertPlatformAdmin(tx, email, hash)))
          .map(id -> {
            if (generated) {
              console.println();
              console.println("  Platform admin created: " + email);
              console.println("  Generated password (shown this once): " + password);
              console.println();
              return "admin: " + email + " created with a generated password (printed once above)";
            }
            return "admin: " + email + " created from AIAAS_ADMIN_EMAIL/AIAAS_ADMIN_PASSWORD";
          });
    });
  }
}
