package dev.aiaas.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a round cost the machine, per request: robust to a shared machine where requests per
 * second are not. Reads this JVM's CPU time and allocated bytes, the embedded PostgreSQL's CPU
 * time from /proc (the postmaster and its children), its write transactions (transaction ids
 * consumed) and WAL bytes, and, from the gateway's {@code /metrics}, the usage statements it ran.
 * Every counter is exact at the moment it is read (none waits for a statistics flush).
 */
final class CostProbe {

  /** Bytes allocated by threads that ended during a round (in-process callers report theirs). */
  static final AtomicLong ENDED_THREAD_ALLOCATIONS = new AtomicLong();

  /** Linux's USER_HZ, the unit of the CPU times in /proc/[pid]/stat. */
  private static final double TICKS_PER_SECOND = 100;

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** Counters at one moment. */
  record Snapshot(long jvmCpuNanos, long pgCpuTicks, long allocatedBytes, long gcCount, long xids, long walBytes, double usageStatements,
      double usageEvents) {}

  /** The difference of two snapshots over the requests served between them. */
  record Cost(long requests, double jvmCpuMicros, double pgCpuMicros, double allocatedBytes, long gcCount, double writeTransactions,
      double walBytes, double usageStatements, double usageEvents) {

    /** Per request: JVM CPU µs, PostgreSQL CPU µs, KiB allocated, write transactions, WAL bytes, usage statements. */
    String perRequest() {
      return String.format(Locale.ROOT, "%7.0f %7.0f %8.1f %6.3f %7.0f %6.3f %6.1f", jvm(), pg(), allocatedBytes / requests / 1024.0,
          writeTransactions / requests, walBytes / requests, usageStatements / requests,
          usageStatements > 0 ? usageEvents / usageStatements : 0);
    }

    /** The column heads of {@link #perRequest()}. */
    static String heads() {
      return String.format(Locale.ROOT, "%7s %7s %8s %6s %7s %6s %6s", "jvmµs/r", "pgµs/r", "KiB/r", "wtx/r", "walB/r", "ustm/r",
          "ev/stm");
    }

    double jvm() {
      return jvmCpuMicros / requests;
    }

    double pg() {
      return pgCpuMicros / requests;
    }
  }

  private final Optional<Path> postmasterPid;
  private final Optional<URI> metrics;
  private final Connection db;

  /**
   * Probes the embedded PostgreSQL whose data directory lies somewhere under {@code dataDir}, and
   * the gateway's {@code /metrics} at {@code gateway} (if given).
   */
  CostProbe(Path dataDir, Optional<URI> gateway) throws IOException, SQLException {
    try (Stream<Path> files = Files.walk(dataDir, 4)) {
      this.postmasterPid = files.filter(p -> p.getFileName().toString().equals("postmaster.pid")).findFirst();
    }
    this.metrics = gateway.map(g -> g.resolve("/metrics"));
    Connection connection = null;
    if (postmasterPid.isPresent()) {
      List<String> lines = Files.readAllLines(postmasterPid.get());
      connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + lines.get(3).trim() + "/aiaas?user=postgres");
      connection.setAutoCommit(true);
    }
    this.db = connection;
  }

  Snapshot take() {
    long jvmCpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated = ENDED_THREAD_ALLOCATIONS.get();
    for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      allocated += Math.max(0, a);
    }
    long gc = 0;
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      gc += Math.max(0, bean.getCollectionCount());
    }
    long xids = 0;
    long wal = 0;
    if (db != null) {
      try (Statement s = db.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint,"
              + " pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
        rs.next();
        xids = rs.getLong(1);
        wal = rs.getLong(2);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read PostgreSQL's counters", e);
      }
    }
    double statements = 0;
    double events = 0;
    if (metrics.isPresent()) {
      try {
        String text = HTTP.send(HttpRequest.newBuilder(metrics.get()).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        statements = metric(text, "aiaas_usage_batch_events_count");
        events = metric(text, "aiaas_usage_batch_events_sum");
      } catch (IOException e) {
        throw new IllegalStateException("cannot read /metrics", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return new Snapshot(jvmCpu, postgresTicks(), allocated, gc, xids, wal, statements, events);
  }

  /**
   * Prints what the processes burn with no load at all, per second: a cost that a busy round
   * divides by its requests, so it weighs more in the per-request figures the slower a row runs.
   */
  void printIdle(Duration duration) throws InterruptedException {
    Snapshot a = take();
    Thread.sleep(duration.toMillis());
    Cost c = between(a, take(), 1);
    double seconds = duration.toMillis() / 1000.0;
    System.out.printf(Locale.ROOT, "idle for %.0f s: JVM CPU %.1f ms/s, PostgreSQL CPU %.1f ms/s, %.0f KiB allocated/s,"
        + " %.1f write transactions/s%n", seconds, c.jvmCpuMicros() / 1e3 / seconds, c.pgCpuMicros() / 1e3 / seconds,
        c.allocatedBytes() / 1024 / seconds, c.writeTransactions() / seconds);
  }

  static Cost between(Snapshot a, Snapshot b, long requests) {
    long n = Math.max(1, requests);
    return new Cost(n, (b.jvmCpuNanos() - a.jvmCpuNanos()) / 1e3, (b.pgCpuTicks() - a.pgCpuTicks()) / TICKS_PER_SECOND * 1e6,
        b.allocatedBytes() - a.allocatedBytes(), b.gcCount() - a.gcCount(), b.xids() - a.xids(), b.walBytes() - a.walBytes(),
        b.usageStatements() - a.usageStatements(), b.usageEvents() - a.usageEvents());
  }

  /**
   * Prints, per row name, the cost per request over all its rounds together (sums of CPU,
   * allocation, transactions over the sum of requests), so rounds of different lengths weigh right.
   */
  static void printTotals(List<LoadDriver.Result> results) {
    Map<String, Cost> totals = new LinkedHashMap<>();
    for (LoadDriver.Result r : results) {
      if (r.cost() != null) {
        totals.merge(r.name(), r.cost(), (x, y) -> new Cost(x.requests() + y.requests(), x.jvmCpuMicros() + y.jvmCpuMicros(),
            x.pgCpuMicros() + y.pgCpuMicros(), x.allocatedBytes() + y.allocatedBytes(), x.gcCount() + y.gcCount(),
            x.writeTransactions() + y.writeTransactions(), x.walBytes() + y.walBytes(), x.usageStatements() + y.usageStatements(),
            x.usageEvents() + y.usageEvents()));
      }
    }
    if (totals.isEmpty()) {
      return;
    }
    System.out.printf(Locale.ROOT, "%ncost per request over all rounds (JVM = load driver + servers in this process; pg = PostgreSQL):%n");
    System.out.printf(Locale.ROOT, "%-34s %10s %s %9s%n", "run", "requests", Cost.heads(), "cpuµs/r");
    totals.forEach((name, c) -> System.out.printf(Locale.ROOT, "%-34s %10d %s %9.0f%n", name, c.requests(), c.perRequest(), c.jvm() + c.pg()));
  }

  /** Sums of a Prometheus metric's samples (all label sets). */
  static double metric(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }

  /**
   * CPU ticks of the postmaster, its live children (backends, WAL writer, checkpointer ...) and the
   * children it has already reaped.
   */
  private long postgresTicks() {
    if (postmasterPid.isEmpty()) {
      return 0;
    }
    try {
      long postmaster = Long.parseLong(Files.readAllLines(postmasterPid.get()).get(0).trim());
      long ticks = 0;
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        for (Path proc : (Iterable<Path>) procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))::iterator) {
          String[] stat = stat(proc);
          if (stat == null) {
            continue;
          }
          long pid = Long.parseLong(proc.getFileName().toString());
          long ppid = Long.parseLong(stat[1]);
          if (pid == postmaster) {
            // utime, stime, cutime, cstime: fields 14-17, here 11-14 after "pid (comm) "
            ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]) + Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
          } else if (ppid == postmaster) {
            ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
          }
        }
      }
      return ticks;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read PostgreSQL's CPU time", e);
    }
  }

  /** The fields of /proc/[pid]/stat after the command name (state first), or null if it ended. */
  private static String[] stat(Path proc) {
    try {
      String line = Files.readString(proc.resolve("stat"));
      return line.substring(line.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
