#!/usr/bin/env python3
"""A fake PJLink class 1 projector for the tests, on loopback.

pjlink_fake.py PORTFILE LOGFILE [--password P] [--power N] [--mode MODE]
  Listens on 127.0.0.1 (a free port, written to PORTFILE), serves connections one after the
  other, and appends what it receives to LOGFILE, one command a line ("POWR ?", "POWR 1"), with
  "auth ok" / "auth bad" for each authenticated connection.
  --password P  greets with "PJLINK 1 <random>" and checks the MD5 digest of random + P
  --power N     the power state at the start (0 off, 1 on; default 0)
  --mode        normal; silent (accepts, never says anything); garbage (greets with a long
                line without CR); slowclose (answers the greeting, then never replies)
"""
import hashlib
import os
import socket
import sys


def main(argv):
    portfile, logfile = argv[0], argv[1]
    opts = {"password": None, "power": "0", "mode": "normal"}
    i = 2
    while i < len(argv):
        opts[argv[i][2:]] = argv[i + 1]
        i += 2
    power = opts["power"]
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    log = open(logfile, "a", buffering=1)
    held = []
    while True:
        c, _ = s.accept()
        mode = opts["mode"]
        if mode == "silent":
            held.append(c)  # never answered, never closed
            continue
        if mode == "garbage":
            c.sendall(b"PJLINK 0" + b"x" * 400)
            held.append(c)
            continue
        random = "%08x" % int.from_bytes(os.urandom(4), "big")
        c.sendall(("PJLINK 1 %s\r" % random if opts["password"] else "PJLINK 0\r").encode())
        buf, first = b"", True
        c.settimeout(5)
        try:
            while True:
                data = c.recv(256)
                if not data:
                    break
                buf += data
                while b"\r" in buf:
                    line, buf = buf.split(b"\r", 1)
                    text = line.decode()
                    if first and opts["password"]:
                        want = hashlib.md5((random + opts["password"]).encode()).hexdigest()
                        ok = text[:32] == want
                        log.write("auth %s\n" % ("ok" if ok else "bad"))
                        if not ok:
                            c.sendall(b"PJLINK ERRA\r")
                            raise ConnectionError
                        text = text[32:]
                    first = False
                    cmd = text[2:]
                    log.write(cmd + "\n")
                    if mode == "slowclose":
                        continue
                    name, param = cmd[:4], cmd[5:]
                    if name == "POWR" and param == "?":
                        reply = power
                    elif name == "POWR" and param in ("0", "1"):
                        power, reply = param, "OK"
                    elif name == "ERST":
                        reply = "000010"  # a filter warning
                    elif name == "LAMP":
                        reply = "1234 %s" % ("1" if power == "1" else "0")
                    else:
                        reply = "ERR1"
                    c.sendall(("%%1%s=%s\r" % (name, reply)).encode())
        except (ConnectionError, socket.timeout, OSError):
            pass
        c.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
