#!/usr/bin/env bash
# load.sh: charte's load benchmark (issue 3). It measures POST /api/v1/consents
# on `charte serve` with SQLite and with PostgreSQL against a bare net/http
# handler (bench/bare) that reads the body and answers 201, on the same
# machine: each server pinned to one core, wrk pinned to another.
#
#   bench/load.sh                       # 3 rounds of bare, sqlite, postgres
#   RUNS=5 DURATION=20s bench/load.sh   # longer
#   STORES=sqlite bench/load.sh         # no PostgreSQL
#   STORES="none sqlite" bench/load.sh  # and charte's HTTP layer alone
#
# Environment (defaults in brackets):
#   RUNS [3]  DURATION [10s]  WARMUP [2s]  CONNS [64]  COUNT_DURATION [5s]
#   SERVER_CPU [0]  CLIENT_CPU [1]  PORT [a free port from 20000 to 29999]
#   STORES ["sqlite postgres"]: "none" adds charte without a store:
#     bench/profile -db none, charte's handler wired as serve wires it, on a
#     consent log that keeps nothing (what charte costs above the store).
#   PG_DSN [postgres://postgres@127.0.0.1:5432/test?sslmode=disable]: a
#     database to connect to; each run creates its own database beside it
#     (charte_bench_PID_N) and drops it afterwards.
#   QUIET [10]  QUIET_WAIT [600]: before each run, wait up to QUIET_WAIT
#     seconds for the machine to be under QUIET % busy (over 3 s); 0 for no wait.
#   CHARTE_SRC [this repository]: the source tree charte is built from.
#   OUT [a new temporary directory]: binaries, databases, logs, results.
#
# Rounds are interleaved (bare, sqlite, postgres, bare, …) so that a change
# in the machine's background load hits every target alike. Each charte run
# starts on a fresh database, gets a WARMUP, then the timed run; charte is
# then stopped (SIGTERM: the group committer drains) and `charte verify`
# must pass, with as many records as charte answered 201, plus at most the
# requests in flight when wrk stopped (at most CONNS at the end of the
# warm-up and again of the timed run: wrk drops them, charte answers them
# with an error once their client is gone, but a decision already handed
# to a commit is committed). After the timed rounds, one COUNT_DURATION run
# per store on a fresh database has wrk count every status itself: every
# answer must be 201, and the records must lie between the 201s wrk read
# and the requests it sent. See docs/benchmarks.md for the figures.
#
# The table gives the median of the runs, their spread (min–max), the
# median latencies and the ratio to the bare handler's median. Each run's
# line also says how loaded the machine was: `uptime`'s 1-minute load and the
# busy share of all CPUs just before the server started, and "others", the
# CPU time used during the timed run by anything but the server and wrk (and
# PostgreSQL, for postgres) as a share of all CPUs: other people's builds
# show up there. Exit status 1 when a check fails.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNS=${CONNS:-64}
COUNT_DURATION=${COUNT_DURATION:-5s}
STORES=${STORES:-sqlite postgres}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
# port_free PORT: nothing listens on 127.0.0.1:PORT.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "${PORT:-}" ]; then
	# A port of our own, so that two runs of this script (two people on one
	# machine) never load each other's servers.
	for _ in $(seq 50); do
		PORT=$((20000 + RANDOM % 10000))
		port_free "$PORT" && break
	done
fi
PG_DSN=${PG_DSN:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
QUIET=${QUIET:-10}
QUIET_WAIT=${QUIET_WAIT:-600}
CHARTE_SRC=${CHARTE_SRC:-$repo}
OUT=${OUT:-$(mktemp -d -t charte-bench.XXXXXX)}
addr=127.0.0.1:$PORT
url=http://$addr

# pg runs SQL on PG_DSN's database, quietly.
pg() { PGOPTIONS="-c client_min_messages=warning" psql "$PG_DSN" -Atqc "$1" >/dev/null; }

die() { echo "load.sh: $*" >&2; exit 2; }
for tool in wrk taskset curl go; do
	command -v "$tool" >/dev/null || case $tool in
	wrk) die "wrk is missing: apt-get install -y wrk" ;;
	taskset) die "taskset is missing: apt-get install -y util-linux" ;;
	*) die "$tool is missing" ;;
	esac
done
case " $STORES " in *" postgres "*)
	command -v psql >/dev/null || die "psql is missing (apt-get install -y postgresql-client), or run with STORES=sqlite"
	pg 'SELECT 1' || die "PostgreSQL does not answer at $PG_DSN (or run with STORES=sqlite)"
esac
[ "$(nproc)" -ge 2 ] || echo "load.sh: warning: $(nproc) CPU: the server and wrk share it" >&2

mkdir -p "$OUT"
echo "building charte from $CHARTE_SRC and the bare handler into $OUT"
(cd "$CHARTE_SRC" && go build -o "$OUT/charte" ./cmd/charte)
(cd "$repo" && go build -o "$OUT/bare" ./bench/bare)
case " $STORES " in *" none "*) (cd "$repo" && go build -o "$OUT/profile" ./bench/profile) ;; esac

server_pid=
pg_dbs=()
cleanup() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
	for db in "${pg_dbs[@]}"; do pg "DROP DATABASE IF EXISTS $db" 2>/dev/null || true; done
}
trap cleanup EXIT

# pg_dsn_for DB prints PG_DSN with its database replaced by DB.
pg_dsn_for() {
	local base=${PG_DSN%%\?*} query=
	[[ $PG_DSN == *\?* ]] && query="?${PG_DSN#*\?}"
	echo "${base%/*}/$1$query"
}

# cpu_ticks PID... prints the user+system clock ticks the processes used.
cpu_ticks() {
	local pid t=0
	for pid in "$@"; do
		t=$((t + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}
# busy_ticks prints the clock ticks all CPUs spent busy.
busy_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
pg_pids() { pgrep -x postgres || true; }
now() { date +%s.%N; }

# busy_share SECONDS prints how busy the machine was, in %, over SECONDS.
busy_share() {
	local a b
	a=$(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
	sleep "$1"
	b=$(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
	echo "$a $b" | awk '{printf "%.0f", 100 * ($3 - $1) / ($4 - $2)}'
}

# wait_quiet waits, up to QUIET_WAIT seconds, for the machine to be under
# QUIET % busy, and prints how busy it was last.
wait_quiet() {
	local waited=0 busy
	busy=$(busy_share 3)
	while [ "$busy" -ge "$QUIET" ] && [ "$waited" -lt "$QUIET_WAIT" ]; do
		sleep 7
		waited=$((waited + 10))
		busy=$(busy_share 3)
	done
	[ "$waited" -gt 0 ] && echo "          (waited ${waited} s for a quiet machine)" >&2
	echo "$busy"
}

# start TARGET RUN: starts the server of TARGET pinned to SERVER_CPU, on a
# fresh store, and waits for it; sets server_pid, dsn.
start() {
	local target=$1 run=$2 log=$OUT/$1-$2.log
	port_free "$PORT" || die "something already listens on $addr: set PORT to a free port"
	case $target in
	bare)
		taskset -c "$SERVER_CPU" "$OUT/bare" -addr "$addr" 2>"$log" &
		server_pid=$!
		dsn= ;;
	none)
		dsn=
		taskset -c "$SERVER_CPU" "$OUT/profile" -addr "$addr" -db none >"$log" 2>&1 &
		server_pid=$! ;;
	sqlite)
		dsn=sqlite:$OUT/$target-$run.db
		rm -f "$OUT/$target-$run.db"*
		taskset -c "$SERVER_CPU" "$OUT/charte" serve --addr "$addr" --db "$dsn" --rate-limit 0 >"$log" 2>&1 &
		server_pid=$! ;;
	postgres)
		local db=charte_bench_$$_$run
		pg "DROP DATABASE IF EXISTS $db"
		pg "CREATE DATABASE $db"
		pg_dbs+=("$db")
		dsn=$(pg_dsn_for "$db")
		taskset -c "$SERVER_CPU" "$OUT/charte" serve --addr "$addr" --db "$dsn" --rate-limit 0 >"$log" 2>&1 &
		server_pid=$! ;;
	esac
	# The probe must reach the server just started: bare says so in a
	# header, charte answers /readyz.
	local probe=$url/readyz
	[ "$target" = bare ] && probe=$url/
	for _ in $(seq 100); do
		if [ "$target" = bare ]; then
			curl -fsI "$probe" 2>/dev/null | grep -qi '^x-charte-bench: bare' && return 0
		else
			curl -fs -o /dev/null "$probe" && return 0
		fi
		kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; die "$target did not start"; }
		sleep 0.1
	done
	die "$target did not answer at $probe"
}

# stop: SIGTERM, then wait; charte drains its group committer first.
stop() {
	kill -TERM "$server_pid"
	wait "$server_pid" || true
	server_pid=
}

# charter_version prints the default site's charter version.
charter_version() {
	curl -fs "$url/api/v1/sites" | grep -o '"version": *"[^"]*"' | head -1 | sed 's/.*"\([^"]*\)"$/\1/'
}

# metric_201 and metric_other print how many POST /api/v1/consents charte
# answered 201, and otherwise.
metric_201() {
	curl -fs "$url/metrics" | awk '/^charte_http_requests_total\{/ && /route="POST \/api\/v1\/consents"/ && /code="201"/ {n+=$NF} END {printf "%d\n", n}'
}
metric_other() {
	curl -fs "$url/metrics" | awk '/^charte_http_requests_total\{/ && /route="POST \/api\/v1\/consents"/ && !/code="201"/ {n+=$NF} END {printf "%d\n", n}'
}

# records DSN prints the number of records after `charte verify` passes.
records() {
	local out
	if ! out=$("$OUT/charte" verify --db "$1" 2>&1); then
		echo "$out" >&2
		echo -1
		return
	fi
	echo "$out" | grep -o '[0-9]\+ records' | grep -o '[0-9]\+'
}

# field NAME LINE prints NAME's value in a RESULT line.
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# wrk_run DURATION VERSION [count]: prints the RESULT line, with wrk's own
# CPU time in seconds (user+system) as wrk_cpu=.
wrk_run() {
	local out
	out=$(/usr/bin/time -f 'wrk_cpu=%U+%S' -o "$OUT/wrk.time" \
		taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" -d"$1" -s "$here/consent.lua" "$url" -- "$2" ${3:-})
	out=$(echo "$out" | grep '^RESULT') || { echo "$out" >&2; die "wrk printed no result"; }
	echo "$out wrk_cpu=$(sed -n 's/^wrk_cpu=//p' "$OUT/wrk.time" | bc -l)"
}

failed=0
fail() { echo "  CHECK FAILED: $*"; failed=1; }

results=$OUT/results.tsv
: >"$results"
hz=$(getconf CLK_TCK)

echo "machine: $(nproc) CPU, $(uname -r), $(go version | cut -d' ' -f3-), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
echo "server on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU: wrk -t1 -c$CONNS -d$DURATION (warm-up $WARMUP), $RUNS rounds"
for run in $(seq "$RUNS"); do
	for target in bare $STORES; do
		quiet=$(wait_quiet)
		load=$(cut -d' ' -f1 /proc/loadavg)
		start "$target" "$run"
		version=bare
		[ "$target" != bare ] && version=$(charter_version)
		line=$(wrk_run "$WARMUP" "$version")
		[ "$(field non2xx "$line")" = 0 ] || fail "$target: $(field non2xx "$line") answers were not 2xx during the warm-up"
		ours() { echo "$server_pid"; [ "$target" = postgres ] && pg_pids; true; }
		t0=$(now); b0=$(busy_ticks); o0=$(cpu_ticks $(ours))
		line=$(wrk_run "$DURATION" "$version")
		t1=$(now); b1=$(busy_ticks); o1=$(cpu_ticks $(ours))
		# others: busy CPU time that is neither the server's (nor
		# PostgreSQL's) nor wrk's, as a share of both cores.
		others=$(awk -v b="$((b1 - b0))" -v o="$((o1 - o0))" -v w="$(field wrk_cpu "$line")" -v n="$(nproc)" -v hz="$hz" -v t="$(echo "$t1 - $t0" | bc -l)" \
			'BEGIN { x = (b - o) / hz - w; if (x < 0) x = 0; printf "%.0f", 100 * x / (n * t) }')
		rps=$(field rps "$line"); p50=$(field p50_us "$line"); p99=$(field p99_us "$line")
		printf '%-8s run %d: %7s req/s  p50 %6.2f ms  p99 %6.2f ms  load %s, busy before %s%%, others during %s%%\n' \
			"$target" "$run" "$rps" "$(echo "$p50/1000" | bc -l)" "$(echo "$p99/1000" | bc -l)" "$load" "$quiet" "$others"
		[ "$(field non2xx "$line")" = 0 ] || fail "$target: $(field non2xx "$line") answers were not 2xx"
		[ "$(field errors "$line")" = 0 ] || fail "$target: $(field errors "$line") socket errors"
		if [ "$target" != bare ] && [ "$target" != none ]; then
			n201=$(metric_201); nother=$(metric_other)
			stop
			n=$(records "$dsn")
			if [ "$n" -lt 0 ]; then
				fail "$target: charte verify failed"
			else
				echo "          charte answered 201 $n201 times (otherwise $nother: requests cut at wrk's stop); verify: intact, $n records"
				[ "$n" -ge "$n201" ] && [ "$n" -le $((n201 + 2 * CONNS)) ] || fail "$target: $n records for $n201 answers 201"
				[ "$nother" -le $((2 * CONNS)) ] || fail "$target: $nother answers other than 201"
			fi
		else
			stop
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$run" "$rps" "$p50" "$p99" "$load" "$others" "$quiet" >>"$results"
	done
done

echo
echo "status count: one $COUNT_DURATION run per store with every answer counted by wrk"
for target in $STORES; do
	[ "$target" = none ] && continue
	wait_quiet >/dev/null
	start "$target" count
	line=$(wrk_run "$COUNT_DURATION" "$(charter_version)" count)
	stop
	n=$(records "$dsn")
	sent=$(field sent "$line"); s201=$(field s201 "$line"); other=$(field other "$line")
	echo "  $target: wrk sent $sent, read $s201 answers 201 and $other others; verify: $( [ "$n" -ge 0 ] && echo "intact, $n records" || echo FAILED)"
	[ "$other" = 0 ] || fail "$target: $other answers other than 201"
	[ "$n" -ge "$s201" ] && [ "$n" -le "$sent" ] || fail "$target: $n records, not between $s201 and $sent"
done

echo
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { awk -F'\t' -v t="$1" -v c="$2" '$1==t {print $c}' "$results"; }
bare=$(col bare 3 | median)
printf '%-9s %12s %17s %9s %9s %9s %10s\n' target "req/s (med)" "min–max" "p50 ms" "p99 ms" "vs bare" "others %"
for target in bare $STORES; do
	printf '%-9s %12s %17s %9.2f %9.2f %9s %10s\n' "$target" "$(col "$target" 3 | median)" \
		"$(col "$target" 3 | sort -n | head -1)–$(col "$target" 3 | sort -n | tail -1)" \
		"$(echo "$(col "$target" 4 | median)/1000" | bc -l)" "$(echo "$(col "$target" 5 | median)/1000" | bc -l)" \
		"$(awk -v a="$(col "$target" 3 | median)" -v b="$bare" 'BEGIN {printf "%.2f", a/b}')" \
		"$(col "$target" 7 | sort -n | tr '\n' ' ' | sed 's/ $//')"
done
echo "results: $results; logs in $OUT"
exit "$failed"
