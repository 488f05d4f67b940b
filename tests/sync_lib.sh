# Helpers for the tests of machines in step (sourced; needs $py): a free UDP port on loopback,
# and whether this machine loops multicast back to itself (else the tests use unicast peers).
free_port() {
  "$py" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
multicast_loops() {  # multicast_loops PORT: exit 0 when a probe sent to 239.255.74.0:PORT comes back
  "$py" - "$1" <<'PY'
import socket, sys
g, port = "239.255.74.0", int(sys.argv[1])
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
r.bind((g, port))
r.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(g) + socket.inet_aton("127.0.0.1"))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
s.sendto(b"probe", (g, port))
r.settimeout(1)
sys.exit(0 if r.recv(16) == b"probe" else 1)
PY
}
