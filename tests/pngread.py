"""A small PNG reader for the shell tests: 8-bit RGB or RGBA, non-interlaced (what Vitrine
writes), every filter undone in plain Python, so a test can compare pixels without trusting the
engine's own decoder. read_png(path) -> ((width, height), bytes of the rows)."""
import struct
import zlib


def read_png(path):
    data = open(path, 'rb').read()
    pos, idat, hdr = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            hdr = body
        if kind == b'IDAT':
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    w, h = struct.unpack('>II', hdr[:8])
    bpp = 4 if hdr[9] == 6 else 3
    stride = w * bpp
    out, prev = bytearray(), bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += line
        prev = line
    return (w, h), bytes(out)
