#!/usr/bin/env python3
"""Checks the layering that docs/architecture.md and docs/conventions.md describe, from the
source text (the build enforces the engine's own includes too; this also covers third-party
headers, private headers and reads of files outside the repository).

Run from anywhere: python3 tools/check-layout.py. Prints each breach as `path:line: what` and
exits 1 when there is one, 0 otherwise."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)

# Third-party headers, by the one module allowed to include them (tests, fuzz and bench may).
SHARED = "sha" + "red"

THIRD_PARTY = {
    r"SDL": {"platform"},
    r"GL/": {"render"},
    r"AL/|sndfile\.h": {"audio"},
    r"yaml\.h": {"doc"},
    r"png\.h|jpeglib\.h|jerror\.h|zlib\.h|webp/|tiffio\.h|libexif/": {"io"},
    r"ft2build\.h|freetype|harfbuzz/|fribidi|linebreak\.h|fontconfig/|hyphen\.h": {"text"},
    r"jansson\.h": {"isf", "ledger", "app"},
    r"nettle/": {"app", "remote", "sync"},
    r"systemd/": {"app"},
    r"libav(format|codec|util)/|libswscale/|snappy": {"video"},
}


def modules_from_cmake():
    """{module: set of modules it uses directly}, in the order CMakeLists.txt defines them."""
    text = open("CMakeLists.txt").read()
    mods = {}
    for m in re.finditer(r"vt_module\(\s*(\w+)([^)]*)\)", text):
        name, rest = m.group(1), m.group(2)
        uses = re.search(r"USES((?:\s+[a-z]\w*)*)", rest)
        mods[name] = set(uses.group(1).split()) if uses else set()
    return mods


def closure(mods, name):
    seen, todo = set(), [name]
    while todo:
        for u in mods.get(todo.pop(), ()):
            if u not in seen:
                seen.add(u)
                todo.append(u)
    return seen


def main():
    problems = []
    mods = modules_from_cmake()
    folders = sorted(d for d in os.listdir("engine") if os.path.isdir(os.path.join("engine", d)))
    for d in folders:
        if d not in mods:
            problems.append(f"engine/{d}/: a folder that CMakeLists.txt does not declare with "
                            f"vt_module(); add it (with what it USES) or move its files")
    include = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
    for d in folders:
        allowed = closure(mods, d) | {d}
        for f in sorted(os.listdir(os.path.join("engine", d))):
            if not f.endswith((".c", ".h")):
                continue
            path = f"engine/{d}/{f}"
            public = f.startswith("vt_") and f.endswith(".h")
            for n, line in enumerate(open(path, encoding="utf-8"), 1):
                m = include.match(line)
                if not m:
                    continue
                kind, header = m.groups()
                if kind == '"':
                    mod = header.split("/")[0] if "/" in header else d
                    if mod not in allowed:
                        problems.append(f"{path}:{n}: includes {header}, but engine/{d} may "
                                        f"only use {', '.join(sorted(allowed))}")
                    elif mod != d and header.endswith("_internal.h"):
                        problems.append(f"{path}:{n}: includes {header}, private to "
                                        f"engine/{mod}; use its public vt_*.h header")
                    continue
                for pattern, owners in THIRD_PARTY.items():
                    if re.match(pattern, header):
                        if d not in owners:
                            problems.append(f"{path}:{n}: includes <{header}>, which only "
                                            f"engine/{'/'.join(sorted(owners))} may include")
                        elif public:
                            problems.append(f"{path}:{n}: a public header includes <{header}>; "
                                            f"keep third-party headers in *_internal.h or .c files")
    # Nothing the project runs may read the shared folder some machines have beside a checkout:
    # a user's clone does not have it. (The pattern is built so this file does not match it.)
    beside = re.compile(r"\.\./" + SHARED + r"\b|/" + SHARED + r"/corpus")
    files = subprocess.run(["git", "ls-files"], capture_output=True, text=True).stdout.split()
    for path in files:
        if path.endswith((".md", ".png", ".wav", ".jpg")):
            continue
        try:
            for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
                if beside.search(line):
                    problems.append(f"{path}:{n}: reads the {SHARED} folder beside the checkout, "
                                    f"which a fresh clone does not have; copy what it needs into "
                                    f"tests/ with its licence")
        except (IsADirectoryError, FileNotFoundError):
            pass
    for p in problems:
        print(p)
    print(f"check-layout: {len(folders)} modules, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
