"""The hostile clients of hostile_clients.py: each attack loops until the deadline.

Attacks count what they did (a run where one never ran fails) and the probes with a known
answer record a problem when kvgate answers otherwise. A hostile connection's own errors
(resets, refusals, closes) are the server's business, not failures.
"""
import asyncio
import time

QUIET = (ConnectionError, OSError, asyncio.TimeoutError, asyncio.IncompleteReadError)

# Requests whose answer is fixed: Redis 7.0's texts, then the connection is closed.
REDIS_PROBES = [
    (b"*1\r\n$999999999999\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\n$-5\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\n$99999999\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),  # > the limit
    (b"*x\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*2147483648\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
]


def nats_probes(authenticated):
    """nats-server's texts for an announced payload above max_payload and for garbage (which,
    with authorization on, is an op before CONNECT: an authorization violation)."""
    login = b',"user":"good","pass":"chaos-secret"' if authenticated else b""
    return [
        (b"CONNECT {\"verbose\":false" + login + b"}\r\nPUB x 600000\r\n",
         b"-ERR 'Maximum Payload Violation'\r\n"),
        (b"\x00\x01\x02\r\n", b"-ERR 'Authorization Violation'\r\n" if authenticated
         else b"-ERR 'Unknown Protocol Operation'\r\n"),
    ]


class Attacks:
    def __init__(self, redis_port, nats_port, rng, idle_connections, auth_timeout_s=None):
        self.ports = {"redis": redis_port, "nats": nats_port}
        self.rng = rng
        self.idle_connections = idle_connections
        self.auth_timeout_s = auth_timeout_s
        self.counts = {name: 0 for name in (
            "idle_hoard", "half_frames", "random_bytes", "huge_lengths", "slowloris",
            "never_read", "reconnect_loop", "auth_flood")}
        if auth_timeout_s is not None:
            self.counts["auth_timeout"] = 0
        self.problems = []
        self.deadline = 0.0

    def left(self):
        return self.deadline - time.monotonic()

    async def run(self, seconds):
        self.deadline = time.monotonic() + seconds
        loops = [self.idle_hoard()]
        loops += [self.forever(self.half_frame) for _ in range(4)]
        loops += [self.forever(self.random_bytes) for _ in range(2)]
        loops += [self.forever(self.huge_lengths)]
        loops += [self.slowloris(kind) for kind in ("redis", "nats") for _ in range(10)]
        loops += [self.forever(self.never_read) for _ in range(2)]
        loops += [self.forever(self.reconnect) for _ in range(2)]
        loops += [self.forever(self.auth_flood)]
        if self.auth_timeout_s is not None:
            loops += [self.forever(self.silent_until_timeout)]
        await asyncio.gather(*loops)

    async def forever(self, attack):
        while self.left() > 0:
            try:
                await asyncio.wait_for(attack(), timeout=max(0.1, min(10.0, self.left() + 1)))
            except QUIET:
                pass
            await asyncio.sleep(0.005)

    async def connect(self, kind):
        return await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", self.ports[kind]), timeout=5)

    def kind(self):
        return self.rng.choice(("redis", "nats"))

    async def idle_hoard(self):
        """Hundreds of connections that say nothing (or half a word) until the end."""
        held = []
        for i in range(self.idle_connections):
            try:
                reader, writer = await self.connect("redis" if i % 2 else "nats")
                if i % 3 == 0:
                    writer.write(b"*2\r\n$3\r\nGE")  # half a request, never finished
                held.append(writer)
                self.counts["idle_hoard"] += 1
            except QUIET:
                pass
        while self.left() > 0:
            await asyncio.sleep(min(0.2, max(0.0, self.left())))
        for writer in held:
            writer.close()

    async def half_frame(self):
        kind = self.kind()
        whole = (b"*3\r\n$3\r\nSET\r\n$9\r\nchaos:hal\r\n$20\r\n" + b"h" * 20 + b"\r\n"
                 if kind == "redis" else
                 b"CONNECT {\"verbose\":false}\r\nPUB chaos.half 20\r\n" + b"h" * 20 + b"\r\n")
        reader, writer = await self.connect(kind)
        writer.write(whole[:self.rng.randrange(1, len(whole) - 1)])
        await writer.drain()
        await asyncio.sleep(self.rng.uniform(0, 0.3))
        writer.close()
        self.counts["half_frames"] += 1

    async def random_bytes(self):
        reader, writer = await self.connect(self.kind())
        size = self.rng.randrange(1, 32 * 1024)
        writer.write(bytes(self.rng.getrandbits(8) for _ in range(size)))
        await writer.drain()
        try:
            await asyncio.wait_for(reader.read(65536), timeout=0.2)
        finally:
            writer.close()
        self.counts["random_bytes"] += 1

    async def expect_closed_after(self, kind, request, answer):
        reader, writer = await self.connect(kind)
        try:
            if kind == "nats":
                await asyncio.wait_for(reader.readline(), timeout=5)  # INFO
            writer.write(request)
            await writer.drain()
            got = await asyncio.wait_for(reader.read(len(answer) + 200), timeout=5)
            while got and len(got) < len(answer) + 200:
                more = await asyncio.wait_for(reader.read(200), timeout=5)
                if not more:
                    break
                got += more
            if got != answer:
                self.problems.append(f"{kind} {request[:40]!r}: answered {got[:120]!r}, "
                                     f"expected {answer!r} and a close")
        except asyncio.TimeoutError:
            self.problems.append(f"{kind} {request[:40]!r}: no answer and no close in 5 s")
        finally:
            writer.close()

    async def huge_lengths(self):
        for request, answer in REDIS_PROBES:
            await self.expect_closed_after("redis", request, answer)
        for request, answer in nats_probes(self.auth_timeout_s is not None):
            await self.expect_closed_after("nats", request, answer)
        # Announced sizes that are allowed: the server must not reserve them up front.
        reader, writer = await self.connect("redis")
        writer.write(b"*1000000\r\n" + b"*1\r\n$1000000\r\nab" * 3)
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.close()
        self.counts["huge_lengths"] += 1

    async def slowloris(self, kind):
        """A request that never ends, one byte at a time."""
        while self.left() > 0:
            try:
                reader, writer = await self.connect(kind)
                writer.write(b"*3\r\n$3\r\nSET\r\n$9\r\nchaos:slo\r\n$100000\r\n"
                             if kind == "redis" else
                             b"CONNECT {\"verbose\":false}\r\nPUB chaos.slow 100000\r\n")
                self.counts["slowloris"] += 1
                while self.left() > 0:
                    writer.write(b"s")
                    await writer.drain()
                    await asyncio.sleep(0.05)
                writer.close()
            except QUIET:
                await asyncio.sleep(0.05)

    async def never_read(self):
        """Pipelines requests with big replies and never reads them."""
        kind = self.kind()
        reader, writer = await self.connect(kind)
        if kind == "redis":
            value = b"b" * 100000
            writer.write(b"*3\r\n$3\r\nSET\r\n$9\r\nchaos:big\r\n$100000\r\n" + value + b"\r\n")
            request = b"*2\r\n$3\r\nGET\r\n$9\r\nchaos:big\r\n" * 200
        else:
            # Subscribed to its own flood: every message comes back and is never read.
            writer.write(b"CONNECT {\"verbose\":false}\r\nSUB chaos.flood 1\r\n")
            request = b"PUB chaos.flood 10000\r\n" + b"f" * 10000 + b"\r\n"
        self.counts["never_read"] += 1
        end = time.monotonic() + 2
        while time.monotonic() < end and self.left() > 0:
            writer.write(request)
            try:
                await asyncio.wait_for(writer.drain(), timeout=0.5)
            except asyncio.TimeoutError:
                await asyncio.sleep(0.1)  # the server stopped reading: hold the backlog
        writer.transport.abort()

    async def reconnect(self):
        for _ in range(20):
            kind = self.kind()
            reader, writer = await self.connect(kind)
            writer.write(b"PING\r\n")
            writer.close()
            self.counts["reconnect_loop"] += 1

    async def auth_flood(self):
        kind = self.kind()
        reader, writer = await self.connect(kind)
        if kind == "redis":
            writer.write(b"*3\r\n$4\r\nAUTH\r\n$7\r\nnobody_\r\n$5\r\nwrong\r\n" * 100)
            await writer.drain()
            replies = 0
            while replies < 100:
                line = await asyncio.wait_for(reader.readline(), timeout=5)
                if not line:
                    break
                replies += line.startswith(b"-")
            if replies != 100:
                self.problems.append(f"AUTH flood: {replies} error replies to 100 AUTHs")
        else:
            await asyncio.wait_for(reader.readline(), timeout=5)  # INFO
            writer.write(b"CONNECT {\"verbose\":false,\"user\":\"nobody\",\"pass\":\"wrong\"}\r\n"
                         b"PING\r\n")
            await writer.drain()
            await asyncio.wait_for(reader.readline(), timeout=5)  # PONG, or the auth error
        writer.close()
        self.counts["auth_flood"] += 1

    async def silent_until_timeout(self):
        """A NATS client that never sends CONNECT is cut off after the auth timeout."""
        reader, writer = await self.connect("nats")
        try:
            await asyncio.wait_for(reader.readline(), timeout=5)  # INFO
            start = time.monotonic()
            got = await asyncio.wait_for(reader.read(200), timeout=self.auth_timeout_s + 5)
            rest = await asyncio.wait_for(reader.read(200), timeout=5)
            waited = time.monotonic() - start
            if got != b"-ERR 'Authentication Timeout'\r\n" or rest != b"":
                self.problems.append(f"a silent NATS client got {got + rest!r}, expected the "
                                     "authentication timeout error and a close")
            elif waited < self.auth_timeout_s * 0.5:
                self.problems.append(f"a silent NATS client was cut after {waited:.2f} s")
            self.counts["auth_timeout"] += 1
        except asyncio.TimeoutError:
            self.problems.append("a silent NATS client was not cut off by the auth timeout")
        finally:
            writer.close()
