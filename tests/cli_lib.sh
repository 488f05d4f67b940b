# Helpers the shell tests of the command line share (sourced, not run). They count into the
# caller's `passed` and `failed` and keep output in the caller's $tmp.

# expect CODE DESCRIPTION -- COMMAND...: runs it, keeps stdout/stderr in $tmp/out, $tmp/err.
expect() {
  local want=$1 what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  if [ "$got" = "$want" ]; then passed=$((passed+1))
  else failed=$((failed+1)); echo "FAIL: $what: exit $got, expected $want"; sed 's/^/  | /' "$tmp/err"; fi
}
# contains FILE TEXT DESCRIPTION
contains() {
  if grep -qF -- "$2" "$1"; then passed=$((passed+1))
  else failed=$((failed+1)); echo "FAIL: $3: '$2' not in:"; sed 's/^/  | /' "$1"; fi
}
