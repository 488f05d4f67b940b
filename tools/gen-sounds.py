#!/usr/bin/env python3
"""Synthesises the demo exhibit's sounds (scenes/audio/*.wav) from nothing but arithmetic.

Python 3 standard library only; deterministic (fixed seeds, no clock), so running it twice
gives the same bytes. Mono 16-bit PCM WAV at 24 kHz: small files, and OpenAL Soft resamples.

    /usr/bin/python3 tools/gen-sounds.py [--out DIR] [--check]

sea.wav        12 s seamless loop: filtered noise swelling in three waves. The loop is
               periodic by construction: the noise is filtered twice around the buffer, so the
               filters' state at the end is the state at the start, and every modulation has a
               whole number of periods in the loop.
narration-fr.wav, narration-en.wav, narration-ar.wav
               about 8 s each: the story's narration in three languages, "spoken" tonal
               phrases (a voice-like buzz through vowel formants, syllables with a falling
               intonation), standing in for recordings: each language its own voice (pitch),
               vowels and rhythm, so a switch is heard.
"""

import argparse
import math
import os
import random
import struct
import sys

RATE = 24000


def wav_bytes(samples, rate=RATE):
    """Plain RIFF/WAVE_FORMAT_PCM, mono, 16-bit: the 44-byte header every tool reads."""
    data = b"".join(struct.pack("<h", max(-32768, min(32767, int(round(s * 32767)))))
                    for s in samples)
    header = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(data), b"WAVE", b"fmt ", 16, 1,
                         1, rate, rate * 2, 2, 16, b"data", len(data))
    return header + data


def one_pole(alpha, x, y):
    return y + alpha * (x - y)


def sea(seconds=12, seed=7):
    n = RATE * seconds
    rng = random.Random(seed)
    noise = [rng.uniform(-1.0, 1.0) for _ in range(n)]
    # Swell: three waves in the loop, each breaking with a brighter hiss, plus a slow drift.
    swell = [0.0] * n
    for i in range(n):
        p = i / n
        w = 0.5 - 0.5 * math.cos(2 * math.pi * 3 * p)
        swell[i] = 0.25 + 0.75 * w ** 2 * (0.8 + 0.2 * math.sin(2 * math.pi * p))
    low = band = 0.0
    out = [0.0] * n
    # Two passes around the buffer: the first settles the filters on the loop's own end.
    for rep in range(2):
        for i in range(n):
            s = swell[i]
            # brighter as the wave breaks: the low-pass cut-off follows the swell
            low = one_pole(0.02 + 0.10 * s, noise[i], low)
            band = one_pole(0.004, low, band)
            if rep == 1:
                out[i] = (low - 0.6 * band) * (0.35 + 0.65 * s)
    peak = max(abs(v) for v in out)
    return [0.7 * v / peak for v in out]


# Each language's voice: seed, pitch (Hz) at the start, words, and its vowels (F1, F2 in Hz).
VOICES = {
    "fr": (11, 190, 9, [(730, 1090), (270, 2290), (530, 1840), (300, 870), (660, 1700)]),
    "en": (23, 130, 9, [(660, 1720), (440, 1020), (300, 870), (570, 840), (270, 2290)]),
    "ar": (37, 220, 8, [(700, 1220), (300, 2200), (320, 800), (600, 1000)]),
}


def narration(lang):
    seed, pitch, words, vowels = VOICES[lang]
    rng = random.Random(seed)
    syllables = []
    t = 0.25
    for word in range(words):
        for k in range(rng.randint(2, 3)):
            f1, f2 = vowels[rng.randrange(len(vowels))]
            dur = rng.uniform(0.16, 0.26)
            syllables.append((t, dur, f1, f2))
            t += dur + 0.03
        t += 0.18
    total = t + 0.3
    n = int(RATE * total)
    out = [0.0] * n
    phase = 0.0
    for i in range(n):
        ts = i / RATE
        # a falling intonation over the phrase, with a lift on each word's first syllable
        f0 = pitch * (1 - 0.24 * ts / total)
        amp = 0.0
        f1 = f2 = 500.0
        for start, dur, a1, a2 in syllables:
            if start <= ts < start + dur:
                x = (ts - start) / dur
                amp = math.sin(math.pi * x) ** 0.6
                f1, f2 = a1, a2
                f0 *= 1.0 + 0.06 * (1 - x)
                break
        phase += 2 * math.pi * f0 / RATE
        if amp == 0.0:
            continue
        # a glottal buzz: harmonics of f0 weighted by two formant resonances
        v = 0.0
        h = 1
        while h * f0 < 4000:
            fh = h * f0
            g = 1.0 / (1 + ((fh - f1) / 90) ** 2) + 0.6 / (1 + ((fh - f2) / 120) ** 2)
            v += g * math.sin(h * phase) / h ** 0.5
            h += 1
        out[i] = amp * v
    peak = max(abs(v) for v in out) or 1.0
    return [0.6 * v / peak for v in out]


SOUNDS = {
    "sea.wav": sea,
    "narration-fr.wav": lambda: narration("fr"),
    "narration-en.wav": lambda: narration("en"),
    "narration-ar.wav": lambda: narration("ar"),
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(here, "..", "scenes", "audio"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    differ = 0
    for name, make in SOUNDS.items():
        data = wav_bytes(make())
        path = os.path.join(args.out, name)
        if args.check:
            with open(path, "rb") as f:
                if f.read() != data:
                    print(f"{path}: differs from what the script makes", file=sys.stderr)
                    differ += 1
            continue
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        print(f"{path}: {len(data)} bytes")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
