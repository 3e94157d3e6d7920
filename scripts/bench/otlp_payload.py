"""Realistic OTLP ExportTraceServiceRequest bodies, encoded by hand (no protobuf library).

Each template is a complete serialized request whose trace IDs end in MARK8 and whose span and
parent span IDs end in MARK4. `personalize` replaces both markers with fresh random bytes (two
`bytes.replace` passes, C speed), so every request sent carries new, consistent IDs while all the
encoding work happens before the timed phase.
"""

from __future__ import annotations

import os
import random
import struct
import time
import zlib

MARK8 = b"\xd3\x5e\x91\x0b\x7c\xa4\x26\xef"  # tail of every trace ID in a template
MARK4 = b"\xb6\x19\xf2\x4d"                  # tail of every span / parent span ID


# --- protobuf wire format -------------------------------------------------------------------

def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _len(field: int, data: bytes) -> bytes:
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def _str(field: int, text: str) -> bytes:
    return _len(field, text.encode())


def _u(field: int, n: int) -> bytes:
    return _varint(field << 3) + _varint(n)


def _f64(field: int, n: int) -> bytes:
    return _varint(field << 3 | 1) + struct.pack("<Q", n)


def _f32(field: int, n: int) -> bytes:
    return _varint(field << 3 | 5) + struct.pack("<I", n)


def _any(v) -> bytes:
    if isinstance(v, bool):
        return _u(2, int(v))
    if isinstance(v, int):
        return _u(3, v)
    if isinstance(v, float):
        return _varint(4 << 3 | 1) + struct.pack("<d", v)
    if isinstance(v, (list, tuple)):
        return _len(5, b"".join(_len(1, _any(x)) for x in v))
    return _str(1, v)


def _attrs(field: int, attributes: dict) -> bytes:
    return b"".join(_len(field, _str(1, k) + _len(2, _any(v))) for k, v in attributes.items())


# --- realistic content ----------------------------------------------------------------------

SERVICES = {
    "frontend": ("2.14.1", "nodejs", [("GET", "/"), ("GET", "/product/{id}"), ("POST", "/cart"), ("GET", "/cart")]),
    "checkout": ("1.8.0", "go", [("POST", "/api/checkout"), ("GET", "/api/orders/{orderId}")]),
    "cart": ("3.2.5", "dotnet", [("GET", "/api/cart/{userId}"), ("PUT", "/api/cart/{userId}/items")]),
    "payment": ("0.9.12", "java", [("POST", "/api/charge"), ("POST", "/api/refund")]),
    "inventory": ("5.0.3", "python", [("GET", "/api/stock/{sku}"), ("POST", "/api/reserve")]),
}
_AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
           "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
           "okhttp/4.12.0", "python-requests/2.32.3"]
_QUERIES = [("SELECT", "orders", "SELECT id, status, total_cents, created_at FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20"),
            ("INSERT", "order_items", "INSERT INTO order_items (order_id, sku, quantity, price_cents) VALUES ($1, $2, $3, $4)"),
            ("UPDATE", "stock", "UPDATE stock SET reserved = reserved + $1 WHERE sku = $2 AND available >= $1")]


def resource_attrs(service: str, rnd: random.Random) -> dict:
    version, language, _ = SERVICES[service]
    pod = f"{service}-{rnd.getrandbits(32):08x}-{rnd.choice('abcdefgh')}{rnd.randint(10, 99)}"
    return {"service.name": service, "service.version": version, "service.namespace": "shop",
            "service.instance.id": f"{rnd.getrandbits(64):016x}", "deployment.environment.name": "production",
            "telemetry.sdk.name": "opentelemetry", "telemetry.sdk.language": language, "telemetry.sdk.version": "1.45.2",
            "host.name": pod, "k8s.pod.name": pod, "k8s.namespace.name": "shop", "k8s.node.name": f"node-{rnd.randint(1, 12)}",
            "cloud.provider": "aws", "cloud.region": "eu-west-1", "process.pid": rnd.randint(1, 65535)}


def _common(rnd: random.Random, service: str) -> dict:
    return {"thread.id": rnd.randint(1, 400), "thread.name": f"worker-{rnd.randint(1, 32)}",
            "code.function.name": f"{service}.handlers.{rnd.choice(['handle', 'process', 'serve', 'dispatch'])}",
            "code.file.path": f"/app/src/{service}/handlers.{rnd.choice(['go', 'ts', 'cs', 'py', 'java'])}",
            "code.line.number": rnd.randint(10, 900), "app.tenant.id": f"tenant-{rnd.randint(1, 40)}",
            "app.request.priority": rnd.randint(0, 3), "app.cache.hit": rnd.random() < 0.7,
            "app.sample.rate": rnd.choice([1.0, 0.5, 0.25]), "app.region.latency_ms": round(rnd.uniform(0.1, 40.0), 3),
            "enduser.id": f"user-{rnd.randint(1, 200000)}", "session.id": f"{rnd.getrandbits(96):024x}"}


def _fill(rnd, route):
    path = route.replace("{id}", str(rnd.randint(1, 9999))).replace("{orderId}", str(rnd.randint(10**6, 10**7)))
    return path.replace("{userId}", str(rnd.randint(1, 200000))).replace("{sku}", f"SKU-{rnd.randint(1000, 9999)}")


def _server_attrs(rnd, service, method, route, status):
    path = _fill(rnd, route)
    return {"http.request.method": method, "http.route": route, "url.path": path, "url.scheme": "https",
            "url.full": f"https://shop.example.com{path}", "server.address": "shop.example.com", "server.port": 443,
            "client.address": f"10.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}",
            "network.peer.port": rnd.randint(30000, 65000), "network.protocol.version": "1.1",
            "user_agent.original": rnd.choice(_AGENTS), "http.response.status_code": status,
            "http.request.body.size": rnd.randint(0, 4096), "http.response.body.size": rnd.randint(200, 60000),
            "http.request.header.x-forwarded-for": [f"203.0.113.{rnd.randint(1, 254)}"]}


def _client_attrs(rnd, target):
    if rnd.random() < 0.5:
        op, table, query = rnd.choice(_QUERIES)
        return {"db.system.name": "postgresql", "db.namespace": "shop", "db.operation.name": op,
                "db.collection.name": table, "db.query.text": query, "server.address": "postgres.shop.svc",
                "server.port": 5432, "network.peer.address": f"10.0.4.{rnd.randint(2, 40)}",
                "network.peer.port": 5432, "db.response.returned_rows": rnd.randint(0, 20)}, f"{op} shop.{table}"
    method, route = rnd.choice(SERVICES[target][2])
    return {"http.request.method": method, "url.full": f"http://{target}.shop.svc:8080{_fill(rnd, route)}",
            "server.address": f"{target}.shop.svc", "server.port": 8080, "network.peer.port": 8080,
            "http.response.status_code": 200, "http.resend_count": 0}, method


def _span(rnd, trace_head, head, parent, name, kind, start, end, attrs, events=(), status=(0, "")) -> bytes:
    body = [_len(1, trace_head + MARK8), _len(2, head + MARK4)]
    if parent is not None:
        body.append(_len(4, parent + MARK4))
    body += [_str(5, name), _u(6, kind), _f64(7, start), _f64(8, end), _attrs(9, attrs)]
    for t, ev_name, ev_attrs in events:
        body.append(_len(11, _f64(1, t) + _str(2, ev_name) + _attrs(3, ev_attrs)))
    if status[0]:
        body.append(_len(15, (_str(2, status[1]) if status[1] else b"") + _u(3, status[0])))
    body.append(_f32(16, 0x301))
    return b"".join(body)


def _trace(rnd: random.Random, heads: set, now_ns: int, target: int) -> list[tuple[str, bytes]]:
    """One trace of about `target` spans: a SERVER root, CLIENT calls and INTERNAL work below it."""
    def head(n):
        while True:
            h = rnd.randbytes(n)
            if h not in heads and h.strip(b"\0"):
                heads.add(h)
                return h
    trace_head = head(8)
    service = rnd.choice(list(SERVICES))
    method, route = rnd.choice(SERVICES[service][2])
    start = now_ns - rnd.randint(1, 10_000) * 1_000_000
    duration = rnd.randint(5, 900) * 1_000_000
    failed = rnd.random() < 0.03
    status_code = 500 if failed else rnd.choice([200, 200, 200, 201, 204, 304, 404])
    root = head(4)
    attrs = {**_server_attrs(rnd, service, method, route, status_code), **_common(rnd, service)}
    events = [(start + duration // 2, "exception", {"exception.type": "TimeoutError", "exception.escaped": True,
               "exception.message": "upstream request timed out after 500 ms",
               "exception.stacktrace": "TimeoutError: upstream request timed out\n  at call (client.go:88)\n  at handle (handlers.go:142)"})] if failed else []
    spans = [(service, _span(rnd, trace_head, root, None, f"{method} {route}", 2, start, start + duration,
                             dict(list(attrs.items())[:20]), events, (2, "upstream timeout") if failed else (0, "")))]
    for i in range(target - 1):
        offset = rnd.randint(0, duration // 2)
        child_start, child_end = start + offset, start + offset + rnd.randint(1, max(2, duration // 3 // 1000)) * 1000
        common = _common(rnd, service)
        if i % 3 == 2:
            attrs = {**common, "app.step": f"step-{i}", "app.items.count": rnd.randint(1, 40),
                     "app.discount.applied": rnd.random() < 0.2, "app.ratio": round(rnd.random(), 4),
                     "code.namespace": f"{service}.core", "app.cache.key": f"cart:{rnd.getrandbits(40):010x}",
                     "app.feature_flag.new_pricing": rnd.random() < 0.5, "app.retry.attempt": 0}
            name, kind, evs = rnd.choice(["validate cart", "compute totals", "render template", "serialize response"]), 1, []
            if rnd.random() < 0.3:
                evs = [(child_start + 1000, "cache miss", {"app.cache.key": attrs["app.cache.key"], "app.cache.backend": "redis"})]
        else:
            target_service = rnd.choice([s for s in SERVICES if s != service])
            specific, name = _client_attrs(rnd, target_service)
            attrs, kind, evs = {**specific, **common}, 3, []
        spans.append((service, _span(rnd, trace_head, head(4), root, name, kind, child_start, child_end,
                                     dict(list(attrs.items())[:20]), evs)))
    return spans


def build_template(spans_per_request: int, seed: int) -> bytes:
    """A whole ExportTraceServiceRequest of `spans_per_request` spans in traces of 4 to 16 spans,
    grouped by service into ResourceSpans (3 pods per service), each with one scope."""
    while True:
        rnd, heads, now_ns = random.Random(seed), set(), time.time_ns()
        by_service: dict[str, list[bytes]] = {}
        count = traces = 0
        while count < spans_per_request:
            traces += 1
            for service, span in _trace(rnd, heads, now_ns, min(rnd.randint(4, 16), spans_per_request - count)):
                by_service.setdefault(service, []).append(span)
                count += 1
        body = []
        for service, spans in by_service.items():
            pod = random.Random(zlib.crc32(service.encode()) + seed % 3)
            resource = _len(1, _attrs(1, resource_attrs(service, pod)))
            scope = _len(1, _str(1, f"io.opentelemetry.{SERVICES[service][1]}.http") + _str(2, "2.9.0"))
            scope_spans = _len(2, scope + b"".join(_len(2, s) for s in spans))
            body.append(_len(1, resource + scope_spans + _str(3, "https://opentelemetry.io/schemas/1.26.0")))
        request = b"".join(body)
        # The markers must occur exactly where the IDs are: MARK8 once per span (trace ID), MARK4
        # once per span ID and once per parent ID. Content that happens to contain one is redrawn.
        if request.count(MARK8) == count and request.count(MARK4) == 2 * count - traces:
            return request
        seed += 1_000_003


def personalize(template: bytes) -> bytes:
    """The template with fresh random trace IDs and span IDs (consistent parent links kept)."""
    return template.replace(MARK8, os.urandom(8)).replace(MARK4, os.urandom(4))
