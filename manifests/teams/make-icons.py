#!/usr/bin/env python3
"""Draws the Teams app icons with the standard library only: color.png (192x192, full colour) and
outline.png (32x32, white on transparent, as Teams requires). Run it from this folder to regenerate them."""
import struct
import zlib

GREEN = (0x25, 0xD3, 0x66, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def png(path, size, pixel):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y, size)) for x in range(size)) for y in range(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def bubble(x, y, size):
    """A speech bubble: a ring with a tail at the lower left, and an arrow pointing right inside it."""
    c = (size - 1) / 2
    dx, dy = (x - c) / size, (y - c) / size
    r = (dx * dx + dy * dy) ** 0.5
    ring = 0.30 <= r <= 0.40
    tail = -0.40 <= dx <= -0.22 and 0.22 <= dy <= 0.46 and (dy - 0.22) <= (dx + 0.40) * 1.4
    shaft = -0.16 <= dx <= 0.08 and abs(dy) <= 0.05
    head = 0.04 <= dx <= 0.20 and abs(dy) <= 0.16 - (dx - 0.04)
    return ring or tail or shaft or head


png("color.png", 192, lambda x, y, s: WHITE if bubble(x, y, s) else GREEN)
png("outline.png", 32, lambda x, y, s: WHITE if bubble(x, y, s) else CLEAR)
