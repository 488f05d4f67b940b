#!/usr/bin/env bash
# A remote `/vitrine/state` is not a visitor: the energy ledger writes the state it entered as
# "remote:NAME" (its time still counts as the state's), and `vitrine report` counts only the
# visitor's session (`/vitrine/input` from attract), not the remote one.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; sed 's/^/  | /' "$tmp/e.csv"; }
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
port=$("$py" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
osc() { "$py" "$src/tests/osc_client.py" "$port" "$@"; }
printf 'format: vitrine/1\ncanvas: {size: [64, 36], fps: 10}\nlayers:\n  - {id: r, type: rect, size: [8, 8]}\nstates: {custom: [visit], idle_after: 600}\n' > "$tmp/s.yaml"
printf 'format: vitrine-config/1\nosc: {port: %s}\n' "$port" > "$tmp/c.yaml"
"$bin" play "$tmp/s.yaml" --config "$tmp/c.yaml" --energy-log "$tmp/e.csv" --power-sensor model \
  --quit-after 60 --verbose >/dev/null 2>"$tmp/log" & pid=$!
for _ in $(seq 200); do grep -q "first frame presented" "$tmp/log" && break; sleep 0.1; done
# rows: wait until the ledger holds N rows of state STATE
rows() { for _ in $(seq 100); do [ "$(grep -c ",$2," "$tmp/e.csv" 2>/dev/null)" -ge "$1" ] && return 0; sleep 0.1; done; return 1; }
rows 2 attract || ko "attract rows first"
osc /vitrine/state visit                       # the show controller: not a visitor
rows 2 remote:visit && ok || ko "the remote state should be written remote:visit"
osc /vitrine/state attract                     # a remote attract is marked too
rows 2 remote:attract && ok || ko "back to attract, remotely"
osc /vitrine/input                             # a presence sensor: a visitor
rows 2 active && ok || ko "the visitor's state is written as it is"
osc /vitrine/state visit                       # remote, from active: still marked
rows 2 remote:visit || ko "remote visit again"
kill -TERM "$pid"; wait "$pid"; pid=
grep -q ',remote:active,' "$tmp/e.csv" && ko "the visitor's active is not remote" || ok

"$bin" report "$tmp/e.csv" --json > "$tmp/r.json" 2>"$tmp/rlog" || ko "report should run: $(cat "$tmp/rlog")"
field() { "$py" -c 'import json,sys; o=json.load(open(sys.argv[1])); [o:=o[k] for k in sys.argv[2:]]; print(o)' "$tmp/r.json" "$@"; }
[ "$(field sessions)" = 1 ] && ok || ko "one session (the visitor's), got $(field sessions)"
# The remote state's time is the state's own.
"$py" - "$tmp/r.json" <<'PY' && ok || ko "the states should be attract, active and visit"
import json, sys
st = json.load(open(sys.argv[1]))["states"]
names = sorted(st) if isinstance(st, dict) else sorted(s["name"] for s in st)
sys.exit(0 if names == ["active", "attract", "visit"] else 1)
PY
grep -q "warning\|bad state" "$tmp/rlog" && ko "no warning: $(cat "$tmp/rlog")" || ok

echo "test_remote_report: $passed passed, $failed failed"
[ "$failed" = 0 ]
