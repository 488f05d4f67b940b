#!/usr/bin/env python3
"""How many ISF files render unchanged in Vitrine: each FOLDER/*.fs is put in a scene of its own
(its .vs and IMPORTED images beside it, a picture for its image inputs), checked with `vitrine
check` and rendered for two frames with `vitrine render`; prints each file's result, the rate
over the files that take no audio input, and the causes of failure, commonest first.

    tools/isf-compat.py [--bin build/release/vitrine] FOLDER...

The files are read where they are and copied into a temporary folder: keep collections of other
people's shaders outside the source tree (they are not part of Vitrine)."""
import argparse
import collections
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib


def png(path, w=64, h=36, k=1):
    rows = b''.join(b'\0' + b''.join(bytes((x * 4 * k % 256, y * 7 % 256, 128 // k)) for x in range(w))
                    for y in range(h))

    def chunk(kind, body):
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
                chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


def same(a, b):
    with open(a, 'rb') as fa, open(b, 'rb') as fb:
        return fa.read() == fb.read()


def header(text):
    """The JSON header (a dict), or None when there is none or it is not JSON."""
    m = re.match(r'\s*/\*\s*(\{.*?\})\s*\*/', text, re.S)
    if not m:
        return None
    try:
        return json.loads(m.group(1))
    except ValueError:
        return None


def cause(stderr):
    """The first error, without the paths of this run, numbers folded, so alike causes group."""
    for line in stderr.splitlines():
        if 'error' in line:
            line = re.sub(r'^\S*?:(\d+:)*\s*', '', line)
            line = re.sub(r'\(layer .*\)$', '', line)
            line = re.sub(r"\d+", 'N', line)
            return line.strip()[:140]
    return (stderr.strip().splitlines() or ['(no message)'])[-1][:140]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--bin', default=os.environ.get('VT_BIN', 'build/release/vitrine'))
    ap.add_argument('folders', nargs='+')
    args = ap.parse_args()
    results, causes = [], collections.Counter()
    tmp = tempfile.mkdtemp(prefix='isf-compat-')
    try:
        png(os.path.join(tmp, 'picture.png'))
        png(os.path.join(tmp, 'other.png'), k=3)  # startImage: unlike what lies beneath
        # the frame with nothing over the picture: a shader that draws nothing gives the same
        with open(os.path.join(tmp, 'base.yaml'), 'w') as f:
            f.write('format: vitrine/1\ncanvas: {size: [160, 90], fps: 10}\nlayers:\n'
                    '  - {id: back, type: image, src: picture.png}\n')
        subprocess.run([os.path.abspath(args.bin), 'render', 'base.yaml', '--out', 'base',
                        '--frames', '2', '--quiet'], cwd=tmp, check=True)
        base = os.path.join(tmp, 'base', 'frame_00001.png')
        files = sorted(os.path.join(d, f) for d in args.folders for f in os.listdir(d)
                       if f.endswith('.fs'))
        for i, path in enumerate(files):
            text = open(path, encoding='utf-8', errors='replace').read()
            h = header(text) or {}
            inputs = [x for x in h.get('INPUTS', []) if isinstance(x, dict)]
            if any(x.get('TYPE') in ('audio', 'audioFFT') for x in inputs):
                results.append((path, 'audio', 'takes audio input (excluded)'))
                continue
            vs = path[:-3] + '.vs'
            body = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
            if not os.path.exists(vs) and re.search(r'^\s*(varying|in)\s+\w+\s+\w+', body, re.M):
                results.append((path, 'no-vs', 'reads varyings; its .vs is absent (excluded)'))
                continue
            work = os.path.join(tmp, 'f%d' % i)
            os.mkdir(work)
            shutil.copy(path, os.path.join(work, 'shader.fs'))
            if os.path.exists(vs):
                shutil.copy(vs, os.path.join(work, 'shader.vs'))
            missing = []
            for im in h.get('IMPORTED', []) if isinstance(h.get('IMPORTED'), list) else \
                    list((h.get('IMPORTED') or {}).values()):
                rel = im.get('PATH', '') if isinstance(im, dict) else ''
                src = os.path.join(os.path.dirname(path), rel)
                if rel and os.path.isfile(src):
                    os.makedirs(os.path.dirname(os.path.join(work, rel)) or work, exist_ok=True)
                    shutil.copy(src, os.path.join(work, rel))
                else:
                    missing.append(rel)
            if missing:
                results.append((path, 'imported', 'IMPORTED image absent (excluded): %s' %
                                ', '.join(missing)))
                continue
            shutil.copy(os.path.join(tmp, 'picture.png'), work)
            shutil.copy(os.path.join(tmp, 'other.png'), work)
            given = ', '.join('%s: %s' % (x['NAME'], 'other.png' if x['NAME'] == 'startImage'
                                          else 'picture.png') for x in inputs
                              if x.get('TYPE') == 'image' and x.get('NAME') != 'inputImage'
                              and re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*', x.get('NAME', '')))
            with open(os.path.join(work, 'scene.yaml'), 'w') as f:
                f.write('format: vitrine/1\ncanvas: {size: [160, 90], fps: 10}\nlayers:\n'
                        '  - {id: back, type: image, src: picture.png}\n'
                        '  - {id: fx, type: shader, src: shader.fs, inputs: {%s}}\n' % given)
            ok, why = True, ''
            for cmd in (['check', 'scene.yaml'],
                        ['render', 'scene.yaml', '--out', 'out', '--frames', '2', '--quiet']):
                p = subprocess.run([os.path.abspath(args.bin)] + cmd, cwd=work, text=True,
                                   capture_output=True, errors='replace')
                if p.returncode != 0:
                    ok, why = False, cause(p.stderr)
                    break
            if ok and same(os.path.join(work, 'out', 'frame_00001.png'), base):
                why = 'the frame is the picture beneath it: the shader drew nothing; look at it'
            results.append((path, 'pass' if ok else 'fail', why))
            if not ok:
                causes[why] += 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for path, status, why in results:
        print('%-8s %s%s' % (status, os.path.basename(path), ('  -- ' + why) if why else ''))
    counted = [r for r in results if r[1] in ('pass', 'fail')]
    passed = sum(1 for r in counted if r[1] == 'pass')
    print('\n%d files, %d excluded (audio input, IMPORTED image or .vs absent); %d of %d render '
          'unchanged: %.1f %%' % (len(results), len(results) - len(counted), passed, len(counted),
                                  100.0 * passed / max(len(counted), 1)))
    flat = sum(1 for r in counted if r[1] == 'pass' and r[2])
    if flat:
        print('%d of them drew nothing over the picture beneath: look at those' % flat)
    for why, n in causes.most_common():
        print('%4d  %s' % (n, why))
    return 0


if __name__ == '__main__':
    sys.exit(main())
