#!/usr/bin/env bash
# Start time and idle resident memory of each role of the packaged jar, against one PostgreSQL.
# Usage: bench/roles.sh [RUNS] [IDLE_SECONDS]   (after: mvn -q -DskipTests package)
# Start time: from the JVM's launch to the role's last start-up log line ("API:" for gateway and
# serve, "workers:" for worker). Idle RSS: VmRSS of the JVM after IDLE_SECONDS without requests.
# Classes: loaded by the JVM so far, and how many of them are DJL's (ai.djl.*).
set -euo pipefail
RUNS=${1:-3}
IDLE=${2:-20}
JAR=${AIAAS_JAR:-gateway/target/aiaas.jar}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait; rm -rf "$WORK" || true' EXIT

# The database host: a migrated embedded PostgreSQL, kept by a gateway process for the whole run.
AIAAS_DATA_DIR=$WORK/db AIAAS_HTTP_PORT=0 AIAAS_HTTP_HOST=127.0.0.1 java -jar "$JAR" gateway >"$WORK/db.log" 2>&1 &
db=$!
until grep -q 'API:' "$WORK/db.log"; do
  kill -0 $db 2>/dev/null || { cat "$WORK/db.log"; exit 1; }
  sleep 0.5
done
PORT=$(sed -n 4p "$WORK/db/pg/postmaster.pid")
export AIAAS_DB_URL=postgresql://postgres:@127.0.0.1:$PORT/aiaas

now_ms() { date +%s%3N; }

for role in gateway worker serve; do
  case $role in worker) ready='workers:' ;; *) ready='API:' ;; esac
  for run in $(seq "$RUNS"); do
    log=$WORK/$role-$run.log
    start=$(now_ms)
    AIAAS_DATA_DIR=$WORK/$role-$run AIAAS_HTTP_PORT=0 AIAAS_HTTP_HOST=127.0.0.1 java -jar "$JAR" "$role" >"$log" 2>&1 &
    pid=$!
    until grep -q "$ready" "$log"; do
      kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }
      sleep 0.02
    done
    started=$(( $(now_ms) - start ))
    sleep "$IDLE"
    rss=$(awk '/VmRSS/ {print int($2 / 1024)}' /proc/$pid/status)
    classes=$(jcmd $pid PerfCounter.print | awk -F= '/java.cls.loadedClasses=/ {print $2}')
    djl=$(jcmd $pid VM.class_hierarchy | grep -c -- '-ai\.djl\.' || true)
    echo "$role run $run: started in $started ms, idle RSS $rss MiB, $classes classes loaded ($djl of DJL)"
    kill $pid
    wait $pid 2>/dev/null || true
  done
done
