#!/usr/bin/env bash
# The systemd unit tools/install-service.sh writes: the fields filled in, what the unit must say
# (Type=notify, the watchdog, restart rules, the reload by SIGHUP, --config), and
# `systemd-analyze verify` accepts it (skipped, exit 77, where systemd-analyze is absent).
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }

cp "$src/tests/cli/ok.yaml" "$tmp/scene.yaml"
printf 'format: vitrine-config/1\nosc: {port: 7400}\n' > "$tmp/config.yaml"
unit=$tmp/vitrine.service
"$src/tools/install-service.sh" --scene "$tmp/scene.yaml" --config "$tmp/config.yaml" \
  --bin "$bin" --user root --out "$unit" >"$tmp/out" 2>&1 && ok || { ko "install-service failed"; cat "$tmp/out"; }
for line in "Type=notify" "WatchdogSec=30s" "Restart=on-failure" "RestartPreventExitStatus=64 65 66" \
            "MemoryMax=2G" 'ExecReload=/bin/kill -HUP $MAINPID' \
            "ExecStart=$bin play --kiosk --config $tmp/config.yaml $tmp/scene.yaml"; do
  grep -qxF -- "$line" "$unit" && ok || ko "the unit lacks '$line'"
done
grep -q "@" "$unit" && ko "a field was left unfilled" || ok
# Refusals: a relative path (64), a missing file (66), a broken scene (65).
"$src/tools/install-service.sh" --scene scene.yaml --config "$tmp/config.yaml" --bin "$bin" \
  --out "$tmp/x" 2>/dev/null; [ $? = 64 ] && ok || ko "a relative scene path should be refused (64)"
"$src/tools/install-service.sh" --scene "$tmp/none.yaml" --config "$tmp/config.yaml" --bin "$bin" \
  --out "$tmp/x" 2>/dev/null; [ $? = 66 ] && ok || ko "a missing scene should be refused (66)"
printf 'format: vitrine/1\ncanvas: {size: [0, 1]}\n' > "$tmp/bad.yaml"
"$src/tools/install-service.sh" --scene "$tmp/bad.yaml" --config "$tmp/config.yaml" --bin "$bin" \
  --out "$tmp/x" 2>/dev/null; [ $? = 65 ] && ok || ko "a broken scene should be refused (65)"
[ -e "$tmp/x" ] && ko "a refused install left a unit" || ok

if ! command -v systemd-analyze >/dev/null; then
  echo "test_systemd_unit: $passed passed, $failed failed"
  echo "skipped: systemd-analyze is not installed"
  [ "$failed" = 0 ] && exit 77 || exit 1
fi
# verify exits 0 on a key it cannot parse (it ignores it): any word from it is a problem.
if systemd-analyze verify "$unit" >"$tmp/verify" 2>&1 && [ ! -s "$tmp/verify" ]; then ok; else
  ko "systemd-analyze verify found problems"; sed 's/^/  | /' "$tmp/verify"
fi
echo "test_systemd_unit: $passed passed, $failed failed"
[ "$failed" = 0 ]
