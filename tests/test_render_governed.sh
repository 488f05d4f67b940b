#!/usr/bin/env bash
# render --governed shows what a kiosk shows: in attract the default caps (12 fps, scale 0.6)
# hold the picture between the kiosk's frames (the render's grid stays at 30 fps) and draw it
# at 0.6 of the size, enlarged to the output (the bar's sharp edges soften); a visitor's touch
# at 1 s brings every frame at full scale back, identical to the ungoverned render's. Two
# governed renders are identical, with the model sensor too, and so is a split one;
# render.json says so; `attract: full` gives the ungoverned frames. And check notes the caps
# and budget (exit 0).
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
scene=$src/tests/scenes/governed.yaml events=$src/tests/scenes/governed.events
render() { "$bin" render "$1" --events "$events" --frames 60 --quiet --out "${@:2}" \
  || ko "render $*"; }

render "$scene" "$tmp/u"
render "$scene" "$tmp/g" --governed
render "$scene" "$tmp/g2" --governed
{ cat "$scene"; printf 'energy: {attract: full}\n'; } > "$tmp/full.yaml"
render "$tmp/full.yaml" "$tmp/f" --governed
# With the model, 8 s: the governor does not count its first seconds (start-up), then the
# impossible budget binds.
for d in m m2; do
  "$bin" render "$scene" --events "$events" --frames 240 --quiet --out "$tmp/$d" --governed \
    --power-sensor model --budget-watts 20 || ko "render with the model ($d)"
done
# A recorded energy log drives the governor at the same scene times: 100 W against a 20 W
# budget degrades (as the model does), 5 W does not; a log shorter than the render says so.
ledger() { # FILE WATTS SECONDS: a run's first row (no figure), then one row a second
  { echo "time,state,target_fps,fps,scale,power_w,energy_j,sensor,covers,measured,seconds"
    echo "2026-11-24T10:00:00Z,attract,12,0.0,0.60,,0.0,file:/run/power,wall meter,,"
    for s in $(seq 1 "$3"); do
      printf '2026-11-24T10:00:%02dZ,attract,12,12.0,0.60,%s.00,%s.0,file:/run/power,wall meter,measured,1.000\n' \
        "$s" "$2" $(($2 * s))
    done; } > "$1"
}
ledger "$tmp/high.csv" 100 12; ledger "$tmp/low.csv" 5 12; ledger "$tmp/short.csv" 100 3
for l in high low; do
  "$bin" render "$scene" --events "$events" --frames 240 --quiet --out "$tmp/l$l" --governed \
    --power-sensor "ledger:$tmp/$l.csv" --budget-watts 20 2>"$tmp/l$l.err" || ko "render with ledger:$l.csv"
  [ ! -s "$tmp/l$l.err" ] && ok || ko "ledger:$l.csv: nothing to say expected, got: $(cat "$tmp/l$l.err")"
done
"$bin" render "$scene" --events "$events" --frames 150 --out "$tmp/lshort" --governed \
  --power-sensor "ledger:$tmp/short.csv" --budget-watts 20 >/dev/null 2>"$tmp/err" || ko "render with a short ledger"
grep -q "the energy log $tmp/short.csv ends 3 s into the render: no readings after that" "$tmp/err" \
  && ok || ko "a ledger shorter than the render: warning expected, got: $(cat "$tmp/err")"
"$bin" render "$scene" --frames 1 --quiet --out "$tmp/x" --governed --power-sensor "ledger:$tmp/none.csv" 2>"$tmp/err"
[ $? = 66 ] && grep -q "none.csv" "$tmp/err" && ok || ko "ledger:none.csv: exit 66 expected ($(cat "$tmp/err"))"
"$bin" render "$scene" --frames 1 --quiet --out "$tmp/x" --governed --power-sensor "ledger:$scene" 2>"$tmp/err"
[ $? = 65 ] && grep -q "not a Vitrine energy log" "$tmp/err" && ok || ko "ledger:scene.yaml: exit 65 expected ($(cat "$tmp/err"))"
"$bin" render "$scene" --events "$events" --start 0.8 --frames 30 --quiet --out "$tmp/s" \
  --governed --power-sensor model --budget-watts 20 || ko "split render"
for k in $(seq 0 59); do
  f=$(printf 'frame_%05d.png' "$k")
  cmp -s "$tmp/g/$f" "$tmp/g2/$f" && ok || ko "$f differs between two governed renders"
  cmp -s "$tmp/m/$f" "$tmp/m2/$f" && ok || ko "$f differs between two renders with the model"
done
# A governed render split in two gives the same frames (the kiosk is stepped up to --start).
for k in $(seq 0 29); do
  f=$(printf 'frame_%05d.png' "$k"); g=$(printf 'frame_%05d.png' $((k + 24)))
  cmp -s "$tmp/s/$f" "$tmp/m/$g" && ok || ko "split governed render: s/$f differs from m/$g"
done

PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$(cd "$(dirname "$0")" && pwd)" /usr/bin/python3 - "$tmp" <<'PY'
import json, sys
from pngread import read_png as png
tmp = sys.argv[1]
fails = 0
def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAIL: " + what)
def frames(d, n=60):
    return [png('%s/%s/frame_%05d.png' % (tmp, d, k)) for k in range(n)]
def changes(fr, a, b):
    return sum(1 for k in range(a + 1, b) if fr[k][1] != fr[k - 1][1])
def soft(px):
    return sum(1 for v in px if 8 < v < 247)
u, g, f = frames('u'), frames('g'), frames('m', 240)
full = frames('f')
check(all(s == (64, 32) for s, _ in g), "governed frames are not all 64x32 (the output size)")
check(changes(u, 0, 30) == 29, "ungoverned: every frame of the first second should differ "
      "from the last, %d of 29 do" % changes(u, 0, 30))
n = changes(g, 0, 30)
check(n == 11, "attract at 12 fps: 12 pictures (11 changes) over the first 30 frames, got %d" % n)
n = changes(g, 30, 60)
check(n == 29, "active after the touch: every frame should change, %d of 29 do" % n)
check(soft(u[10][1]) == 0, "ungoverned frame 10 should have sharp edges only")
check(soft(g[10][1]) > 0, "governed frame 10 (attract, scale 0.6) should have soft edges")
check(all(g[k][1] == u[k][1] for k in range(30, 60)),
      "active frames should equal the ungoverned render's")
check(all(full[k][1] == u[k][1] for k in range(60)),
      "attract: full should give the ungoverned frames")
check(changes(f, 30, 60) == 29, "with the model, the first visitor gets full quality in the "
      "start-up, which does not count toward degrading: %d of 29 change" % changes(f, 30, 60))
check(changes(f, 180, 240) < 30, "an impossible budget (model) should hold frames in active "
      "after the start-up: %d of 59 change" % changes(f, 180, 240))
j = json.load(open(tmp + '/g/render.json'))
check(j.get('governed') is True, "render.json: governed should be true")
gv = j.get('governor', {})
check(gv.get('attract') == {'fps': 12, 'scale': 0.6}, "render.json: attract caps %r" % gv.get('attract'))
check(gv.get('active') == {'fps': 30, 'scale': 1.0}, "render.json: active %r" % gv.get('active'))
check(gv.get('budget_watts') is None and gv.get('power_sensor') is None,
      "render.json: no budget, no sensor")
check(gv.get('pictures') == 42 and gv.get('held_frames') == 18,
      "render.json: 12 + 30 pictures, 18 held frames: %r" % gv)
check(json.load(open(tmp + '/u/render.json')).get('governed') is False,
      "render.json of an ungoverned render: governed should be false")
check(json.load(open(tmp + '/f/render.json'))['governor'].get('attract') == 'full',
      "render.json: attract full")
m = json.load(open(tmp + '/m/render.json'))['governor']
check(m.get('power_sensor') == 'model' and m.get('budget_watts') == 20.0,
      "render.json with the model: %r" % m)
check(m.get('lowest') == {'fps': 10, 'scale': 0.5},
      "an impossible budget: the minimum settings (10 fps, 0.5), got %r" % m.get('lowest'))
for name, watts in (('high', 100), ('low', 5)):
    fr = frames('l' + name, 240)
    gv = json.load(open('%s/l%s/render.json' % (tmp, name)))['governor']
    check(gv.get('power_sensor') == 'ledger:%s/%s.csv' % (tmp, name),
          "render.json: the ledger as the sensor, got %r" % gv.get('power_sensor'))
    if watts > 20:
        check(gv.get('lowest') == {'fps': 10, 'scale': 0.5}, "ledger at 100 W over a 20 W "
              "budget: the minimum settings (10 fps, 0.5), got %r" % gv.get('lowest'))
        check(changes(fr, 180, 240) < 30, "ledger at 100 W: frames held in active after the "
              "start-up, %d of 59 change" % changes(fr, 180, 240))
        check(soft(fr[230][1]) > 0, "ledger at 100 W: frame 230 drawn below full scale (soft)")
    else:
        check(gv.get('lowest') == {'fps': 12, 'scale': 0.6}, "ledger at 5 W under a 20 W "
              "budget: only the attract caps, got %r" % gv.get('lowest'))
        check(changes(fr, 30, 240) == 209, "ledger at 5 W: every active frame drawn, %d of "
              "209 change" % changes(fr, 30, 240))
        check(soft(fr[230][1]) == 0, "ledger at 5 W: frame 230 at full scale (sharp)")
sys.exit(1 if fails else 0)
PY
[ $? = 0 ] && ok || ko "frame and render.json checks"

# The budget and sensor need --governed; the sensors in simulated time are the model and a ledger.
"$bin" render "$scene" --out "$tmp/x" --frames 1 --budget-watts 20 2>"$tmp/err"
[ $? = 64 ] && grep -q "only with --governed" "$tmp/err" && ok || ko "--budget-watts without --governed"
"$bin" render "$scene" --out "$tmp/x" --frames 1 --governed --power-sensor rapl 2>"$tmp/err"
[ $? = 64 ] && grep -q "power sensors it takes are 'model' and 'ledger:FILE'" "$tmp/err" && ok \
  || ko "--power-sensor rapl with --governed"

# check says, in one note (exit 0), when the attract caps or a budget will lower the quality, and
# the key to change; `attract: full` without a budget has nothing to say.
"$bin" check "$scene" >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && ok || ko "check of the test scene: exit 0 expected"
[ "$(grep -c 'note:' "$tmp/err")" = 1 ] && ok || ko "check: one note expected, got: $(cat "$tmp/err")"
grep -qF "$scene: note: attract runs at 12 fps and scale 0.6 (energy.attract); render --governed shows what visitors will see; set energy: {attract: full} to keep full quality" "$tmp/err" \
  && ok || ko "check: the attract note, got: $(cat "$tmp/err")"
grep -q ": ok (" "$tmp/out" && ok || ko "check: still ok"
printf 'format: vitrine/1\ncanvas: {size: [64, 32]}\nenergy: {attract: full, budget_watts: 30}\n' \
  > "$tmp/budget.yaml"
"$bin" check "$tmp/budget.yaml" >/dev/null 2>"$tmp/err"
[ $? = 0 ] && ok || ko "check of a scene with a budget: exit 0 expected"
grep -qF "$tmp/budget.yaml:3:1: note: the budget of 30 W (energy.budget_watts) may lower the frame rate (to 10 fps) and the scale (to 0.5) in every state; render --governed --power-sensor model shows what visitors will see; raise or remove energy.budget_watts" "$tmp/err" \
  && ok || ko "check: the budget note, got: $(cat "$tmp/err")"
"$bin" check "$tmp/full.yaml" >/dev/null 2>"$tmp/err"
[ $? = 0 ] && [ ! -s "$tmp/err" ] && ok || ko "check with attract: full: no note, got: $(cat "$tmp/err")"
"$bin" check --quiet "$scene" >/dev/null 2>"$tmp/err"
[ ! -s "$tmp/err" ] && ok || ko "check --quiet: no note"

echo "render_governed: $passed passed, $failed failed"
[ "$failed" = 0 ]
