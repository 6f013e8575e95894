#!/usr/bin/env python3
"""Derives the constants of Sources/COGICRC32/crc32.c (the zip CRC-32 by carry-less multiplication) from the
polynomial, and checks the algorithm they serve against zlib's crc32 with a bit-level model of PCLMULQDQ.
Usage: python3 scripts/crc32-constants.py"""
import os
import zlib

P = (1 << 32) | 0x04C11DB7  # x^32 + x^26 + ... + 1; bit n is the coefficient of x^n
M64 = (1 << 64) - 1


def mod(a):
    while a.bit_length() > 32:
        a ^= P << (a.bit_length() - 33)
    return a


def div(a):
    q = 0
    while a.bit_length() > 32:
        s = a.bit_length() - 33
        q |= 1 << s
        a ^= P << s
    return q


def reflect(v, bits):
    return int(format(v, "0%db" % bits)[::-1], 2)


def residue(n):  # x^n mod P, reflected in 32 bits
    return reflect(mod(1 << n), 32)


K = {
    "K512_HIGH": residue(543), "K512_LOW": residue(479), "K128_HIGH": residue(159), "K128_LOW": residue(95),
    "K96": residue(95) << 32, "K64": residue(63) << 32, "MU": reflect(div(1 << 64), 33), "POLY": reflect(P, 33),
}


def clmul(a, b):
    r = 0
    for i in range(64):
        if b >> i & 1:
            r ^= a << i
    return r


def fold(x, high, low):
    return clmul(x & M64, high) ^ clmul(x >> 64, low)


def crc32(crc, buf):
    """crc32.c's crc32_clmul, step by step."""
    if len(buf) < 64:
        return zlib.crc32(buf, crc)
    load = lambda o: int.from_bytes(buf[o:o + 16], "little")
    x = [load(16 * i) for i in range(4)]
    x[0] ^= ~crc & 0xFFFFFFFF
    o = 64
    while len(buf) - o >= 64:
        x = [fold(x[i], K["K512_HIGH"], K["K512_LOW"]) ^ load(o + 16 * i) for i in range(4)]
        o += 64
    v = x[0]
    for i in range(1, 4):
        v = fold(v, K["K128_HIGH"], K["K128_LOW"]) ^ x[i]
    while len(buf) - o >= 16:
        v = fold(v, K["K128_HIGH"], K["K128_LOW"]) ^ load(o)
        o += 16
    h, l = v & M64, v >> 64
    y = clmul(h, K["K96"])
    yh, yl = (y & M64) ^ (l << 32 & M64), (y >> 64) ^ (l >> 32)
    a = (clmul(yh, K["K64"]) >> 64) ^ yl
    q = clmul(a << 32 & M64, K["MU"]) & M64
    r = ((clmul(q, K["POLY"]) >> 64) ^ (a >> 32)) & 0xFFFFFFFF
    return zlib.crc32(buf[o:], r ^ 0xFFFFFFFF)


for name, value in K.items():
    print("#define %s 0x%xULL" % (name, value))
for n in list(range(0, 300)) + [1000, 4099]:
    data = os.urandom(n)
    for crc in (0, 0x12345678):
        assert crc32(crc, data) == zlib.crc32(data, crc), (n, crc)
print("// checked against zlib.crc32 on 0-299, 1000 and 4099 random bytes")
