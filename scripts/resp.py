"""A small RESP2 client for the test and bench scripts (loopback only).

Error replies are returned as RespError values, not raised, so a caller can tell a refused
command from a dropped connection (which raises ConnectionError).
"""
import socket


class RespError(Exception):
    pass


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if not isinstance(a, bytes):
            a = str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Resp:
    def __init__(self, port, timeout=2.0, host="127.0.0.1"):
        self.s = socket.create_connection((host, port), timeout=timeout)
        self.f = self.s.makefile("rb")

    def close(self):
        try:
            self.f.close()
            self.s.close()
        except OSError:
            pass

    def cmd(self, *args):
        self.s.sendall(encode(*args))
        return self._read()

    def cmds(self, cmds):
        """Send every command in one write, then read one reply each."""
        self.s.sendall(b"".join(encode(*c) for c in cmds))
        return [self._read() for _ in cmds]

    def _read(self):
        line = self.f.readline()
        if not line:
            raise ConnectionError("connection closed")
        t, rest = line[:1], line[1:-2]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            return RespError(rest.decode(errors="replace"))
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)
            return data[:-2]
        if t == b"*":
            n = int(rest)
            if n < 0:
                return None
            return [self._read() for _ in range(n)]
        raise ConnectionError("bad reply %r" % line[:40])
