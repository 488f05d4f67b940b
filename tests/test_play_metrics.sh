#!/usr/bin/env bash
# play's fleet metrics: with `metrics: {file, interval}` in the operator config, play writes a
# Prometheus text file for node_exporter's textfile collector, atomically, every interval. The
# file is read while play runs (every 20 ms: never half a file) and each version is checked by a
# strict parser of the text exposition format written here; the values are checked against what
# the test did: a known power, a garbage OSC packet (dropped, counted), a broken edit of the
# scene (last error, its file name escaped in the label: the name holds a double quote and a
# backslash), a good edit (a reload), and the last file, as play stops, says vitrine_up 0.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}

scene="$tmp/we\"ird\\name.yaml"
cp "$here/cli/ok.yaml" "$scene"
printf '7.25 W\n' >"$tmp/watts"
mkdir "$tmp/textfile"
printf 'format: vitrine-config/1\nmetrics: {file: textfile/vitrine.prom, interval: 1}\n' >"$tmp/config.yaml"

PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 - "$bin" "$scene" "$tmp" "$here/cli/ok.yaml" \
  "$here/../tools/grafana-vitrine-fleet.json" <<'PY'
import json, math, os, re, socket, subprocess, sys, time

binary, scene, tmp, good, dashboard = sys.argv[1:6]
prom = os.path.join(tmp, "textfile", "vitrine.prom")
failures = []
def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}

def parse_value(text):
    # Go's ParseFloat as Prometheus reads it: a number, NaN, +Inf or -Inf
    if text in ("NaN", "+Inf", "-Inf", "Inf"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text):
        raise ValueError("not a sample value: %r" % text)
    return float(text)

def parse_labels(s, i):
    """s[i] is after '{': returns (labels, index after '}')."""
    labels = {}
    while True:
        if s[i] == "}":
            return labels, i + 1
        m = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*").match(s, i)
        if not m:
            raise ValueError("bad label name at %d" % i)
        name = m.group(0)
        if name.startswith("__") or name in labels:
            raise ValueError("reserved or repeated label %s" % name)
        i = m.end()
        if s[i:i + 2] != '="':
            raise ValueError("label %s: expected =\"" % name)
        i += 2
        value = []
        while s[i] != '"':
            if s[i] == "\\":
                esc = s[i + 1]
                if esc not in '\\"n':
                    raise ValueError("bad escape \\%s in a label value" % esc)
                value.append("\n" if esc == "n" else esc)
                i += 2
            else:
                if s[i] == "\n":
                    raise ValueError("raw newline in a label value")
                value.append(s[i])
                i += 1
        labels[name] = "".join(value)
        i += 1
        if s[i] == ",":
            i += 1
        elif s[i] != "}":
            raise ValueError("expected , or } after label %s" % name)

def parse(data):
    """Strict text exposition format 0.0.4; returns {name: [(labels, value)]} and types."""
    text = data.decode("utf-8")  # raises on invalid UTF-8
    if not text.endswith("\n"):
        raise ValueError("the file does not end with a newline")
    helps, types, samples, seen, done = {}, {}, {}, set(), set()
    current = None
    for n, line in enumerate(text[:-1].split("\n"), 1):
        where = "line %d: %r" % (n, line)
        if line == "":
            raise ValueError(where + ": empty line")
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not NAME.match(name):
                    raise ValueError(where + ": bad metric name")
                if parts[1] == "HELP":
                    doc = parts[3] if len(parts) > 3 else ""
                    if re.search(r"\\[^\\n]", doc) or doc.endswith("\\") and not doc.endswith("\\\\"):
                        raise ValueError(where + ": bad escape in HELP")
                    if name in helps:
                        raise ValueError(where + ": second HELP")
                    helps[name] = doc
                else:
                    if len(parts) != 4 or parts[3] not in TYPES:
                        raise ValueError(where + ": bad TYPE")
                    if name in types or name in samples:
                        raise ValueError(where + ": TYPE after samples or repeated")
                    types[name] = parts[3]
                if current and current != name:
                    done.add(current)
                current = name
            continue
        m = re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line)
        if not m:
            raise ValueError(where + ": bad sample")
        name, i = m.group(0), m.end()
        labels = {}
        if i < len(line) and line[i] == "{":
            labels, i = parse_labels(line, i + 1)
        if line[i:i + 1] != " ":
            raise ValueError(where + ": expected a space before the value")
        fields = line[i + 1:].split(" ")
        if not 1 <= len(fields) <= 2:
            raise ValueError(where + ": expected a value and an optional timestamp")
        value = parse_value(fields[0])
        if len(fields) == 2 and not re.fullmatch(r"-?\d+", fields[1]):
            raise ValueError(where + ": bad timestamp")
        if name in done or (current and current != name and name in samples):
            raise ValueError(where + ": samples of a family are not together")
        if current and current != name:
            done.add(current)
        current = name
        if name not in types:
            raise ValueError(where + ": no TYPE line before the sample")
        if types[name] == "counter":
            if not name.endswith("_total") or value < 0 or math.isnan(value):
                raise ValueError(where + ": a counter must be named *_total and not negative")
        key = (name, tuple(sorted(labels.items())))
        if key in seen:
            raise ValueError(where + ": repeated series")
        seen.add(key)
        samples.setdefault(name, []).append((labels, value))
    for name in types:
        if name not in helps:
            raise ValueError("%s has no HELP" % name)
    return samples

def one(s, name, **labels):
    got = [v for l, v in s.get(name, []) if all(l.get(k) == x for k, x in labels.items())]
    return got[0] if len(got) == 1 else None

# The checker itself must refuse what the format forbids.
for bad in [b"# TYPE a gauge\na 1", b"a 1\n", b'# HELP a x\n# TYPE a gauge\na{l="\\q"} 1\n',
            b"# HELP a x\n# TYPE a counter\na 1\n", b'# HELP a x\n# TYPE a gauge\na{l="x"y"} 1\n',
            b"# HELP a x\n# TYPE a gauge\na 1\na 2\n", b"# HELP a x\n# TYPE a gauge\na one\n",
            b"# HELP a x\n# TYPE a gauge\n\na 1\n", b'# HELP a x\n# TYPE a gauge\na{l="\xff"} 1\n']:
    try:
        parse(bad)
        fail("the checker took %r" % bad)
    except (ValueError, UnicodeDecodeError):
        pass
parse(b'# HELP a x\n# TYPE a gauge\na{l="q\\"b\\\\n\\n"} 1\n# HELP b_total y\n# TYPE b_total counter\nb_total 2\n')

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
sock.close()
env = dict(os.environ)
proc = subprocess.Popen([binary, "play", scene, "--config", os.path.join(tmp, "config.yaml"),
                         "--power-sensor", "file:" + os.path.join(tmp, "watts"), "--osc-port",
                         str(port), "--quit-after", "9"],
                        stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "err"), "w"))
versions, last = [], None
t0 = time.monotonic()
step = 0
while proc.poll() is None:
    try:
        data = open(prom, "rb").read()
    except FileNotFoundError:
        data = None
    if data is not None and data != last:
        last = data
        try:
            versions.append((time.monotonic() - t0, parse(data)))
        except (ValueError, UnicodeDecodeError, IndexError) as e:
            fail("a version of the file does not parse: %s\n%s" % (e, data.decode("utf-8", "replace")))
    # from the first file on, the loop runs and the OSC socket is bound
    t = time.monotonic() - versions[0][0] - t0 if versions else -1
    if step == 0 and t > 0.2:
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"not osc at all", ("127.0.0.1", port))
        step = 1
    elif step == 1 and t > 1.0:
        with open(scene, "w") as f:
            f.write("format: vitrine/1\nlayers: 7\n")  # broken: a hot reload refuses it
        step = 2
    elif step == 2 and t > 3.0:
        with open(scene, "w") as f:
            f.write(open(good).read())
        step = 3
    time.sleep(0.02)
final = parse(open(prom, "rb").read())
if proc.returncode != 0:
    fail("play exited %d: %s" % (proc.returncode, open(os.path.join(tmp, "err")).read()))

running = [s for _, s in versions]
if len(running) < 4:
    fail("expected a file a second over 9 s, got %d versions" % len(running))
names = {"vitrine_up", "vitrine_info", "vitrine_state", "vitrine_fps", "vitrine_target_fps",
         "vitrine_render_scale", "vitrine_energy_joules_total", "vitrine_uptime_seconds",
         "vitrine_last_error", "vitrine_reloads_total", "vitrine_osc_packets_dropped_total"}
for s in running + [final]:
    missing = names - set(s)
    if missing:
        fail("metrics missing: %s" % sorted(missing))
        break
ups = [one(s, "vitrine_up") for s in running]
if any(u != 1 for u in ups[:-1]) or one(final, "vitrine_up") != 0:
    fail("vitrine_up: 1 while running, 0 as play stops; got %s then %s" % (ups, one(final, "vitrine_up")))
up = [one(s, "vitrine_uptime_seconds") for s in running]
# never before the interval; about the interval (a loaded machine may be late, the first frame
# and the sound device's opening hold the first wake-ups)
gaps = sorted(b - a for a, b in zip(up, up[1:-1]))
if not gaps or gaps[0] < 0.9 or not 0.9 <= gaps[len(gaps) // 2] <= 1.6:
    fail("uptime between writes should be about the 1 s interval: %s" % up)
if one(final, "vitrine_info", scene=scene) != 1:
    fail("vitrine_info's scene label is not %r: %s" % (scene, final.get("vitrine_info")))
watts = [one(s, "vitrine_power_watts") for s in running if "vitrine_power_watts" in s]
if not watts or any(abs(w - 7.25) > 1e-9 for w in watts):
    fail("vitrine_power_watts should be 7.25: %s" % watts)
energy = [one(s, "vitrine_energy_joules_total") for s in running + [final]]
if any(b < a for a, b in zip(energy, energy[1:])) or not 7.25 * 3 < energy[-1] < 7.25 * 11:
    fail("energy should grow at 7.25 W for about 9 s: %s" % energy)
for s in running:
    fps, target, scale = one(s, "vitrine_fps"), one(s, "vitrine_target_fps"), one(s, "vitrine_render_scale")
    if not (fps >= 0 and 0 < target <= 30 and target == int(target) and 0 < scale <= 1):
        fail("fps %s, target %s, scale %s out of range" % (fps, target, scale))
        break
states = {l["state"] for s in running for l, v in s["vitrine_state"] if v == 1}
if not states or not states <= {"attract", "active"}:
    fail("vitrine_state: %s" % states)
if one(final, "vitrine_osc_packets_dropped_total", reason="malformed") != 1:
    fail("one malformed OSC packet dropped: %s" % final.get("vitrine_osc_packets_dropped_total"))
if one(final, "vitrine_osc_packets_dropped_total", reason="denied") != 0:
    fail("no packet denied: %s" % final.get("vitrine_osc_packets_dropped_total"))
errors = [l["message"] for s in running for l, v in s["vitrine_last_error"] if v == 1]
if not any('we"ird\\name.yaml' in m for m in errors):
    fail("the broken edit should be the last error, its file named: %s" % errors)
if one(final, "vitrine_last_error", message="") != 0:
    fail("after the good edit, no last error: %s" % final.get("vitrine_last_error"))
if one(final, "vitrine_reloads_total") < 1:
    fail("the good edit is a reload: %s" % final.get("vitrine_reloads_total"))
if any("vitrine_sync_offset_seconds" in s for s in running + [final]):
    fail("a machine alone has no sync offset: it should be left out")
# The fleet dashboard asks only for metrics that play writes.
def exprs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("expr", "query", "definition") and isinstance(v, str):
                yield v
            else:
                yield from exprs(v)
    elif isinstance(node, list):
        for v in node:
            yield from exprs(v)
asked = {n for e in exprs(json.load(open(dashboard))) for n in re.findall(r"vitrine_[a-z_]+", e)}
# (with a power sensor and in step with other machines, test_sync_play)
written = set(final) | {"vitrine_power_watts", "vitrine_sync_offset_seconds"}
if not asked or asked - written:
    fail("the dashboard asks for metrics play does not write: %s" % sorted(asked - written))
left = sorted(os.listdir(os.path.dirname(prom)))
if left != ["vitrine.prom"]:
    fail("the textfile folder should hold only vitrine.prom, holds %s" % left)
print("test_play_metrics: %d versions read, %d failures" % (len(versions), len(failures)))
sys.exit(1 if failures else 0)
PY
