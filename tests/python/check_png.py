#!/usr/bin/env python3
"""Decodes recluster's PNG and zlib output with Python's own zlib (an independent inflate) and compares them with the
raw bytes the test wrote. Usage: check_png.py DIR (DIR holds image.png + image.rgb + width/height in size.txt, and
N.z / N.raw pairs of zlib streams)."""
import os
import struct
import sys
import zlib


def unfilter(raw, width, height, bpp=3):
    stride = width * bpp
    out = bytearray()
    prev = bytearray(stride)
    pos = 0
    for _ in range(height):
        ftype = raw[pos]
        line = bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xff
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xff
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xff
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xff
            elif ftype != 0:
                raise SystemExit(f"bad filter type {ftype}")
        out += line
        prev = line
    return bytes(out)


def main(d):
    png = open(os.path.join(d, "image.png"), "rb").read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "signature"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        ctype = png[pos + 4:pos + 8]
        data = png[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(ctype + data) == crc, f"CRC of {ctype}"
        if ctype == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", data[:10])
            assert depth == 8 and color == 2, "8-bit RGB"
        elif ctype == b"IDAT":
            idat += data
        pos += 12 + length
    w, h = map(int, open(os.path.join(d, "size.txt")).read().split())
    assert (width, height) == (w, h), "size"
    pixels = unfilter(zlib.decompress(idat), width, height)
    assert pixels == open(os.path.join(d, "image.rgb"), "rb").read(), "pixels"
    n = 0
    while os.path.exists(os.path.join(d, f"{n}.z")):
        assert zlib.decompress(open(os.path.join(d, f"{n}.z"), "rb").read()) == open(os.path.join(d, f"{n}.raw"), "rb").read(), f"stream {n}"
        n += 1
    print(f"png ok: {width}x{height}, {n} zlib streams")


if __name__ == "__main__":
    main(sys.argv[1])
