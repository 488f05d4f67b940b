#!/usr/bin/env python3
"""Sends one sync packet to a Vitrine room (tests; docs/sync.md has the format).

sync_client.py HOST PORT KEYFILE [--bad-key] input ADDRESS [ARG...]
  Sends /vitrine/sync/input carrying the OSC message ADDRESS [ARG...] (ints, floats, else
  strings), signed with the secret in KEYFILE (HMAC-SHA256), or with another secret
  (--bad-key: a visitor's laptop that does not know it)."""
import hashlib
import hmac
import os
import socket
import struct
import sys
import time


def pad(b):
    return b + b"\0" * (4 - len(b) % 4)


def blob(b):
    return struct.pack(">i", len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)


def message(address, tags, data):
    return pad(address.encode()) + pad(("," + tags).encode()) + data


def osc_arg(text):
    try:
        return "i", struct.pack(">i", int(text))
    except ValueError:
        pass
    try:
        return "f", struct.pack(">f", float(text))
    except ValueError:
        return "s", pad(text.encode())


def main():
    host, port, keyfile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    args = sys.argv[4:]
    key = open(keyfile, "rb").read().rstrip(b"\r\n")
    if args and args[0] == "--bad-key":
        key = b"a visitor's laptop guesses this"
        args = args[1:]
    assert args[0] == "input"
    tags, data = "", b""
    for a in args[2:]:
        t, d = osc_arg(a)
        tags += t
        data += d
    inner = message(args[1], tags, data)
    session = int.from_bytes(os.urandom(8), "big") & ((1 << 63) - 1)
    head = message("/vitrine/sync", "ihhh",
                   struct.pack(">iqqq", 0, session, 1, time.time_ns()))
    item = message("/vitrine/sync/input", "b", blob(inner))
    body = b"#bundle\0" + struct.pack(">Q", 1)
    for m in (head, item):
        body += struct.pack(">i", len(m)) + m
    mac = hmac.new(key, body, hashlib.sha256).digest()
    tail = message("/vitrine/sync/hmac", "b", blob(mac))
    packet = body + struct.pack(">i", len(tail)) + tail
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
    s.bind(("127.0.0.1", 0))
    s.sendto(packet, (host, port))


main()
