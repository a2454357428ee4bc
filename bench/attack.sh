#!/usr/bin/env bash
# attack.sh: issue 9's attacks replayed from outside on a fresh build. It
# builds charte, starts `charte serve` (SQLite) and `charte proxy` in front
# of a hostile application (bench/attack upstream), and prints what each
# attack obtains and charte's peak memory (VmHWM, from /proc):
#   - 200 concurrent wrong sign-ins from one address (goal: at most the
#     allowed number of passwords checked, under 300 MiB), a lock-out
#     attempt from five other addresses (the real user still signs in), and
#     a planted CSRF pair (403);
#   - 200 concurrent requests through the proxy for a 20 MB page with no
#     marker and for a 20 KB gzip that inflates to 20 MiB (goal: under
#     150 MiB, the pages byte-identical), and a silent upstream (504);
#   - the hostile charter files of internal/charterfile's tests through
#     `charte check` (goal: under 1 s and 100 MB each).
#
#   bench/attack.sh
#
# Environment: OUT [a new temporary directory]. Linux only (/proc, and
# loopback addresses 127.0.0.2–9 as separate clients).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
echo "attack.sh: working in $OUT"
go build -o "$OUT/charte" ./cmd/charte
go build -o "$OUT/attack" ./bench/attack
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
wait_up() { for _ in $(seq 1 100); do curl -fs -o /dev/null "$1" && return; sleep 0.1; done; echo "attack.sh: $1 does not answer" >&2; exit 1; }

echo "== back-office sign-in"
echo 'correct horse battery staple' | "$OUT/charte" user add admin --db "sqlite:$OUT/charte.db" >/dev/null
port=$(free_port)
"$OUT/charte" serve --addr "127.0.0.1:$port" --db "sqlite:$OUT/charte.db" >"$OUT/serve.log" 2>&1 &
pids+=($!); serve=$!
wait_up "http://127.0.0.1:$port/healthz"
"$OUT/attack" signin -base "http://127.0.0.1:$port" -pid "$serve"
kill "$serve"

echo "== charte proxy in front of hostile pages"
up=$(free_port)
"$OUT/attack" upstream -addr "127.0.0.1:$up" 2>"$OUT/upstream.log" &
pids+=($!)
port=$(free_port)
"$OUT/charte" proxy --upstream "http://127.0.0.1:$up" --addr "127.0.0.1:$port" --upstream-timeout 2s >"$OUT/proxy.log" 2>&1 &
pids+=($!); proxy=$!
wait_up "http://127.0.0.1:$port/_charte/healthz"
"$OUT/attack" pages -url "http://127.0.0.1:$port/big" -n 200 -pid "$proxy"
"$OUT/attack" pages -url "http://127.0.0.1:$port/bomb" -n 200 -pid "$proxy"
"$OUT/attack" pages -url "http://127.0.0.1:$port/silent" -n 3 -pid "$proxy"
curl -fs "http://127.0.0.1:$port/_charte/metrics" | grep '^charte_proxy_pages_untouched_total' || true

echo "== hostile charter files"
mkdir -p "$OUT/hostile"
go test -count=1 -run TestWriteHostileFiles ./internal/charterfile/ -args -hostile-out="$OUT/hostile" >/dev/null
for f in "$OUT"/hostile/*; do
  /usr/bin/time -f "%e s, %M KB max RSS" -o "$OUT/time" "$OUT/charte" check "$f" >"$OUT/check.out" 2>&1 || true
  printf '%s: %s\n    %s\n' "$(basename "$f")" "$(cat "$OUT/time" | tail -1)" "$(head -1 "$OUT/check.out" | cut -c1-160)"
done
