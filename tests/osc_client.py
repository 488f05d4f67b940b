#!/usr/bin/env python3
"""A small OSC 1.0 client for the tests (and for trying Vitrine's remote control by hand).

osc_client.py PORT [options] ADDRESS [ARG...]
  ARG: 12 is an int (i), 1.5 a float (f), true/false booleans (T/F), anything else a string;
       s:TEXT forces a string.
  --from IP        send from this local address (default 127.0.0.1)
  --at SECONDS     wrap the message in a bundle due SECONDS from now (wall clock)
  --repeat N       send it N times
  --reply          wait for one reply (2 s) and print its first argument
  --garbage        send 8 bytes that are not OSC instead
  --oversized N    send a valid-looking packet of N bytes instead
Exits 1 when --reply gets nothing."""
import socket
import struct
import sys
import time


def pad(b):
    return b + b"\0" * (4 - len(b) % 4)


def arg(text):
    if text.startswith("s:"):
        return "s", pad(text[2:].encode())
    if text in ("true", "false"):
        return ("T" if text == "true" else "F"), b""
    try:
        return "i", struct.pack(">i", int(text))
    except ValueError:
        pass
    try:
        return "f", struct.pack(">f", float(text))
    except ValueError:
        return "s", pad(text.encode())


def message(address, args):
    tags, data = ",", b""
    for a in args:
        t, d = arg(a)
        tags += t
        data += d
    return pad(address.encode()) + pad(tags.encode()) + data


def bundle(seconds, msg):
    t = time.time() + seconds + 2208988800
    tag = (int(t) << 32) | int((t - int(t)) * (1 << 32))
    return b"#bundle\0" + struct.pack(">Q", tag) + struct.pack(">i", len(msg)) + msg


def parse_reply(data):
    end = data.index(b"\0")
    at = (end + 4) & ~3
    tend = data.index(b"\0", at)
    at2 = (tend + 4) & ~3
    send = data.index(b"\0", at2)
    return data[at2:send].decode()


def main(argv):
    port = int(argv[0])
    opts = {"from": "127.0.0.1", "at": None, "repeat": 1, "reply": False, "garbage": False,
            "oversized": 0}
    rest, i = [], 1
    while i < len(argv):
        a = argv[i]
        if a in ("--from", "--at", "--repeat", "--oversized"):
            opts[a[2:]] = argv[i + 1]
            i += 2
            continue
        if a in ("--reply", "--garbage"):
            opts[a[2:]] = True
        else:
            rest.append(a)
        i += 1
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((opts["from"], 0))
    if opts["garbage"]:
        packet = b"garbage!"
    elif int(opts["oversized"]):
        packet = pad(b"/vitrine/status") + b"\0" * (int(opts["oversized"]) - 16)
    else:
        packet = message(rest[0], rest[1:])
        if opts["at"] is not None:
            packet = bundle(float(opts["at"]), packet)
    for _ in range(int(opts["repeat"])):
        s.sendto(packet, ("127.0.0.1", port))
    if opts["reply"]:
        s.settimeout(2.0)
        try:
            data, _ = s.recvfrom(65536)
        except socket.timeout:
            return 1
        print(parse_reply(data))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
