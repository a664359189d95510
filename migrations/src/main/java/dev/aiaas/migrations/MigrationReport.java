package dev.aiaas.migrations;

/** What a migration run did: how many scripts it applied and where the schema stands now. */
public record MigrationReport(int applied, String currentVersion, String latestVersion) {

  /** Whether the schema is at the newest version this build ships. */
  public boolean upToDate() {
    return currentVersion.equals(latestVersion);
  }
}
