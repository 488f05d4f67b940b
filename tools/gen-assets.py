#!/usr/bin/env python3
"""Generates the demo exhibit's images (scenes/img/*.png) from nothing but arithmetic.

Python 3 standard library only: pixels are computed here and written as PNG with zlib + struct.
Deterministic: fixed seeds, no clock, no platform-dependent formatting, so running it twice
gives the same bytes.

    /usr/bin/python3 tools/gen-assets.py [--out DIR] [--check]

--out DIR   where to write (default: scenes/img next to this script's repository)
--check     regenerate in memory and compare with the files on disk; exit 1 if any differ
"""

import argparse
import math
import os
import random
import struct
import sys
import zlib

# ---------------------------------------------------------------------------------------------
# PNG writing


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def _filter_rows(raw, stride, height, bpp, mode):
    """Applies one PNG filter type to every row (0 none, 1 sub, 2 up)."""
    out = bytearray()
    prev = bytes(stride)
    for y in range(height):
        row = raw[y * stride:(y + 1) * stride]
        out.append(mode)
        if mode == 0:
            out += row
        elif mode == 1:
            out += bytes(row[:bpp])
            out += bytes([(row[i] - row[i - bpp]) & 0xFF for i in range(bpp, stride)])
        else:
            out += bytes([(a - b) & 0xFF for a, b in zip(row, prev)])
        prev = row
    return bytes(out)


def png_bytes(width, height, channels, raw):
    """Encodes 8-bit RGB (channels 3) or RGBA (4, straight alpha) pixels as PNG, picking the
    filter type that compresses smallest for the whole image."""
    assert len(raw) == width * height * channels
    stride = width * channels
    best = None
    for mode in (0, 1, 2):
        data = zlib.compress(_filter_rows(raw, stride, height, channels, mode), 9)
        if best is None or len(data) < len(best):
            best = data
    colour_type = 2 if channels == 3 else 6
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", best)
            + _chunk(b"IEND", b""))


# ---------------------------------------------------------------------------------------------
# Small helpers


def clamp(v, lo=0.0, hi=1.0):
    return lo if v < lo else hi if v > hi else v


def smoothstep(e0, e1, x):
    t = clamp((x - e0) / (e1 - e0))
    return t * t * (3.0 - 2.0 * t)


def hexrgb(text):
    return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))


def ramp(stops, t):
    """Colour at t along a list of (position, (r, g, b)) stops, smoothly eased between stops."""
    if t <= stops[0][0]:
        return stops[0][1]
    for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
        if t <= p1:
            u = smoothstep(p0, p1, t)
            return tuple(a + (b - a) * u for a, b in zip(c0, c1))
    return stops[-1][1]


class Quantizer:
    """Rounds 0..255 floats to bytes with a seeded random dither, against banding in gradients."""

    def __init__(self, seed):
        rng = random.Random(seed)
        self.noise = [rng.random() for _ in range(4093)]  # prime length: no visible period
        self.i = 0

    def q(self, v):
        self.i += 1
        if self.i == len(self.noise):
            self.i = 0
        n = int(v + self.noise[self.i])
        return 0 if n < 0 else 255 if n > 255 else n


# ---------------------------------------------------------------------------------------------
# The images. Each returns (width, height, channels, raw bytes).

SEA_W, SEA_H = 960, 540
HORIZON = 0.61  # fraction of the height where sky meets sea
SUN_X = 0.27    # afterglow of a sun that has just set, left of centre
MOON_X = 0.70   # where demo.yaml places the moon and its path of light on the water


def sky_sea():
    """Dusk: indigo sky warming to amber at the horizon, an afterglow on the left, a few early
    stars, and the sea below with soft perspective wave bands that catch the warm light."""
    w, h = SEA_W, SEA_H
    hy = HORIZON * h
    q = Quantizer(1)
    rng = random.Random(2)
    sky_stops = [(0.00, hexrgb("#070b24")), (0.35, hexrgb("#15204d")),
                 (0.62, hexrgb("#3a3468")), (0.80, hexrgb("#86507a")),
                 (0.93, hexrgb("#d47a6a")), (1.00, hexrgb("#f3b06a"))]
    sea_stops = [(0.00, hexrgb("#a9686c")), (0.10, hexrgb("#4b3f68")),
                 (0.35, hexrgb("#1a2550")), (1.00, hexrgb("#060b1f"))]
    glow_col = hexrgb("#ffb56b")

    stars = {}
    for _ in range(260):
        x, y = rng.randrange(w), rng.randrange(int(hy * 0.8))
        fade = 1.0 - smoothstep(0.2, 0.8, y / hy)  # twilight hides the low ones
        stars[(x, y)] = rng.uniform(0.25, 1.0) ** 2 * fade

    out = bytearray()
    for y in range(h):
        if y < hy:
            t = y / hy
            base = ramp(sky_stops, t)
            for x in range(w):
                dx = (x / w - SUN_X) / 0.30
                dy = (hy - y) / (0.30 * h)
                g = math.exp(-(dx * dx + dy * dy * 2.5)) * 0.75
                s = stars.get((x, y), 0.0) * 200.0
                for c in range(3):
                    v = base[c] + (glow_col[c] - base[c]) * g + s
                    out.append(q.q(v))
        else:
            d = (y - hy) / (h - hy)          # 0 at the horizon, 1 at the bottom edge
            base = ramp(sea_stops, d)
            z = 1.0 / (d + 0.035)            # perspective: distance grows toward the horizon
            crest_amp = 0.9 * (1.0 - smoothstep(0.0, 1.0, d)) + 0.15
            for x in range(w):
                fx = x / w
                wob = (math.sin(fx * 9.0 + z * 0.11) * 0.6 + math.sin(fx * 23.0 - z * 0.07) * 0.3)
                phase = z * 3.1 + wob
                band = 0.5 + 0.5 * math.sin(phase)
                band2 = 0.5 + 0.5 * math.sin(z * 7.3 + wob * 1.7 + 1.3)
                crest = band ** 6 * 0.7 + band2 ** 10 * 0.3
                # warm light from the afterglow, reflected in a broad column on the water
                dx = (fx - SUN_X) / (0.10 + d * 0.35)
                warm = math.exp(-dx * dx) * (1.0 - d) ** 1.5
                lift = crest * crest_amp * (0.25 + 0.75 * warm)
                trough = (1.0 - band) * 0.10 * (1.0 - d * 0.5)
                for c in range(3):
                    v = base[c] * (1.0 - trough)
                    v += (glow_col[c] - v) * lift * 0.55
                    v += glow_col[c] * warm * 0.12 * (1.0 - d)
                    out.append(q.q(v))
    return w, h, 3, bytes(out)


def moon():
    """A pale moon with soft maria and limb darkening, in a wide cool glow; transparent around."""
    size = 384
    c = size / 2.0
    r = 58.0
    q = Quantizer(3)
    rng = random.Random(4)
    maria = [(rng.uniform(-0.55, 0.55), rng.uniform(-0.55, 0.55), rng.uniform(0.18, 0.42),
              rng.uniform(0.03, 0.07)) for _ in range(9)]
    disc_col = hexrgb("#f6f0df")
    glow_col = hexrgb("#c9d6ff")
    out = bytearray()
    for y in range(size):
        for x in range(size):
            dx, dy = (x + 0.5 - c), (y + 0.5 - c)
            dist = math.hypot(dx, dy)
            cover = clamp(r + 0.5 - dist)  # antialiased edge, one pixel wide
            # glow: a soft exponential halo fading to exactly zero at the image edge
            edge = smoothstep(c, c * 0.75, dist)
            glow = (0.55 * math.exp(-max(dist - r, 0.0) / 16.0)
                    + 0.22 * math.exp(-max(dist - r, 0.0) / 55.0)) * edge
            if cover > 0.0:
                u, v = dx / r, dy / r
                rr = min(u * u + v * v, 1.0)
                shade = 0.78 + 0.22 * math.sqrt(1.0 - rr)
                for mx, my, mr, md in maria:
                    m2 = ((u - mx) ** 2 + (v - my) ** 2) / (mr * mr)
                    shade -= md * math.exp(-m2 * 2.0)
                dcol = [k * shade for k in disc_col]
            else:
                dcol = disc_col
            # "over": disc over glow, both in straight alpha
            a = cover + glow * (1.0 - cover)
            if a <= 0.0:
                out += b"\0\0\0\0"
                continue
            for k in range(3):
                v = (dcol[k] * cover + glow_col[k] * glow * (1.0 - cover)) / a
                out.append(q.q(v))
            out.append(q.q(a * 255.0))
    return size, size, 4, bytes(out)


def moon_path():
    """The moon's path of light on the water: short horizontal glints, thin and dense near the
    horizon, wider and sparser toward the viewer. Meant for additive blending."""
    w, h = 256, 384
    q = Quantizer(5)
    rng = random.Random(6)
    glints = []
    for _ in range(420):
        t = rng.random() ** 1.6           # more glints near the top (the horizon)
        y = t * (h - 6) + 3
        spread = 14 + t * 70              # the path widens toward the viewer
        x = w / 2 + rng.gauss(0.0, spread * 0.55)
        length = 4 + t * 30 * rng.uniform(0.5, 1.0)
        thick = 0.6 + t * 2.2
        bright = rng.uniform(0.35, 1.0) * (1.0 - 0.45 * t)
        glints.append((x, y, length, thick, bright))
    acc = [0.0] * (w * h)
    for x0, y0, length, thick, bright in glints:
        for y in range(max(0, int(y0 - thick * 2)), min(h, int(y0 + thick * 2) + 2)):
            fy = math.exp(-((y + 0.5 - y0) / thick) ** 2)
            for x in range(max(0, int(x0 - length)), min(w, int(x0 + length) + 1)):
                fx = 1.0 - ((x + 0.5 - x0) / length) ** 2
                if fx > 0.0:
                    acc[y * w + x] += bright * fy * fx * fx
    col = hexrgb("#ffe9c4")
    out = bytearray()
    for y in range(h):
        fade = smoothstep(0.0, 0.04, y / h) * (1.0 - smoothstep(0.75, 1.0, y / h))
        for x in range(w):
            side = smoothstep(0.0, 0.15, x / w) * smoothstep(1.0, 0.85, x / w)
            a = clamp(acc[y * w + x] * 0.8) * fade * side
            if a <= 0.0:
                out += b"\0\0\0\0"
                continue
            out += bytes(col)
            out.append(q.q(a * 255.0))
    return w, h, 4, bytes(out)


def crest():
    """A translucent line of foam: a soft bright ridge that wanders and breaks along its
    length. Used several times, stretched and tilted, with screen or add blending."""
    w, h = 768, 48
    q = Quantizer(7)
    col = hexrgb("#dfe9ff")
    out = bytearray()
    for y in range(h):
        for x in range(w):
            fx = x / w
            centre = h * 0.5 + math.sin(fx * 11.0) * 5.0 + math.sin(fx * 29.0 + 1.0) * 2.0
            d = (y + 0.5 - centre)
            ridge = math.exp(-(d / 2.2) ** 2) * 0.85 + math.exp(-(d / 7.0) ** 2) * 0.25
            # broken foam: bright patches along the line, ends fading out
            breaks = 0.55 + 0.45 * math.sin(fx * 37.0) * math.sin(fx * 13.0 + 0.7)
            ends = smoothstep(0.0, 0.18, fx) * smoothstep(1.0, 0.82, fx)
            a = clamp(ridge * breaks * ends)
            if a <= 0.0:
                out += b"\0\0\0\0"
                continue
            out += bytes(col)
            out.append(q.q(a * 255.0))
    return w, h, 4, bytes(out)


def vignette():
    """White in the middle, a cool dusk shade toward the corners: for multiply blending."""
    w, h = 480, 270
    q = Quantizer(8)
    edge = hexrgb("#5a5f86")
    out = bytearray()
    for y in range(h):
        for x in range(w):
            u = (x + 0.5) / w * 2.0 - 1.0
            v = (y + 0.5) / h * 2.0 - 1.0
            r = math.sqrt(u * u * 0.85 + v * v)
            t = smoothstep(0.55, 1.45, r) ** 1.2
            for c in range(3):
                out.append(q.q(255.0 + (edge[c] - 255.0) * t))
    return w, h, 3, bytes(out)


IMAGES = {
    "sky-sea.png": sky_sea,
    "moon.png": moon,
    "moon-path.png": moon_path,
    "crest.png": crest,
    "vignette.png": vignette,
}


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="Generate the demo exhibit's images.")
    default_out = os.path.normpath(os.path.join(here, "..", "scenes", "img"))
    ap.add_argument("--out", default=default_out)
    ap.add_argument("--check", action="store_true",
                    help="compare with the files on disk instead of writing")
    args = ap.parse_args(argv)
    if not args.check:
        os.makedirs(args.out, exist_ok=True)
    differ = 0
    for name, make in IMAGES.items():
        w, h, ch, raw = make()
        data = png_bytes(w, h, ch, raw)
        path = os.path.join(args.out, name)
        if args.check:
            try:
                with open(path, "rb") as f:
                    same = f.read() == data
            except OSError:
                same = False
            print(f"{'ok     ' if same else 'DIFFERS'} {path}")
            differ += not same
        else:
            with open(path, "wb") as f:
                f.write(data)
            print(f"wrote {path} ({w}x{h}, {'RGBA' if ch == 4 else 'RGB'}, {len(data)} bytes)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
