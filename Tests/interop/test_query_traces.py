"""GET /api/v1/traces (search) and GET /api/v1/traces/{id} on a fresh server holding the seed of
query_helpers: each filter alone and combined, window edges and time formats, newest-first order,
summaries, pagination, every 400, and the per-span logs of a trace."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests

from query_helpers import (
    ERROR, MIN, MS, OK, OLD, SEC, UNSET, api, all_pages, assert_error, cart_duration, ok_json, seeded,  # noqa: F401
    trace_hex)

SEARCH = "/api/v1/traces"


def wide(seed) -> list[tuple[str, str]]:
    """A window (Unix nanoseconds) holding every seeded span, the two-hour-old trace included."""
    return [("start", str(seed.t0 - 180 * MIN)), ("end", str(seed.t0 + 20 * MIN))]


def expected_ids(seed, match=lambda s: True, start: int | None = None, end: int | None = None) -> list[str]:
    """The contract's answer: traces with a matching span starting in [start, end), newest matching span first."""
    start = seed.t0 - 180 * MIN if start is None else start
    end = seed.t0 + 20 * MIN if end is None else end
    newest: dict[int, int] = {}
    for s in seed.spans:
        if start <= s.start < end and match(s):
            newest[s.trace] = max(newest.get(s.trace, s.start), s.start)
    return [trace_hex(n) for n in sorted(newest, key=newest.get, reverse=True)]


def search_ids(server, params) -> list[str]:
    body = ok_json(server, SEARCH, params + [("limit", "1000")])
    assert body["nextCursor"] is None, body["nextCursor"]
    return [t["traceId"] for t in body["traces"]]


def summary(seed, n: int) -> dict:
    spans = seed.trace_spans(n)
    roots = [s for s in spans if s.parent is None]
    root = roots[0] if roots else min(spans, key=lambda s: s.start)
    first = min(s.start for s in spans)
    return {"traceId": trace_hex(n), "rootServiceName": root.service, "rootSpanName": root.name,
            "startTimeUnixNano": str(first), "durationNanos": str(max(s.end for s in spans) - first),
            "spanCount": len(spans), "errorCount": sum(s.status == ERROR for s in spans),
            "services": sorted({s.service for s in spans})}


FILTERS = {
    "service": ([("service", "inventory")], lambda s: s.service == "inventory"),
    "operation": ([("operation", "POST /charge")], lambda s: s.name == "POST /charge"),
    "minDuration": ([("minDuration", "1s")], lambda s: s.duration >= SEC),
    "maxDuration": ([("maxDuration", "5ms")], lambda s: s.duration <= 5 * MS),
    "status=error": ([("status", "error")], lambda s: s.status == ERROR),
    "status=ok": ([("status", "ok")], lambda s: s.status == OK),
    "status=unset": ([("status", "unset")], lambda s: s.status == UNSET),
    "attr span string": ([("attr.http.route", "/stock")], lambda s: s.has_attr("http.route", "/stock")),
    "attr span int": ([("attr.http.response.status_code", "500")], lambda s: s.has_attr("http.response.status_code", "500")),
    "attr resource": ([("attr.deployment.environment", "staging")], lambda s: s.has_attr("deployment.environment", "staging")),
    "service and status": ([("service", "payments"), ("status", "error")], lambda s: s.service == "payments" and s.status == ERROR),
    "service, operation and durations": (
        [("service", "checkout"), ("operation", "GET /cart"), ("minDuration", "100ms"), ("maxDuration", "1s")],
        lambda s: s.service == "checkout" and s.name == "GET /cart" and 100 * MS <= s.duration <= SEC),
    "two attrs, span and resource": (
        [("attr.deployment.environment", "prod"), ("attr.http.response.status_code", "503")],
        lambda s: s.has_attr("deployment.environment", "prod") and s.has_attr("http.response.status_code", "503")),
    "unknown service": ([("service", "nope")], lambda s: False),
}


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_selects_the_traces_with_a_matching_span(seeded, name):
    server, seed = seeded
    params, match = FILTERS[name]
    expected = expected_ids(seed, match)
    assert search_ids(server, wide(seed) + params) == expected
    if name != "unknown service":
        assert 0 < len(expected) < len(seed.trace_numbers()), f"{name} does not narrow the seed"


def test_plus_in_the_query_string_is_a_space(seeded):
    """Go's url.Values.Encode (Grafana), Python's urlencode and HTML forms send spaces as `+`."""
    server, seed = seeded
    expected = expected_ids(seed, lambda s: s.name == "POST /charge")
    answer = requests.get(f"{server.api_url}{SEARCH}", params=wide(seed) + [("operation", "POST /charge"), ("limit", "1000")], timeout=30)
    assert "operation=POST+%2Fcharge" in answer.url and answer.status_code == 200
    assert expected and [t["traceId"] for t in answer.json()["traces"]] == expected


@pytest.mark.parametrize("params", [
    [("service", "worker"), ("status", "error")],                     # traces 101 and 200 have both, on different spans
    [("attr.http.route", "/cart"), ("attr.db.system", "postgresql")],  # the root and its client span
], ids=["service+status", "two span attrs"])
def test_filters_must_all_match_one_span(seeded, params):
    server, seed = seeded
    assert search_ids(server, wide(seed) + params) == []


def test_duration_bounds_are_inclusive(seeded):
    server, seed = seeded
    d = cart_duration(4)
    cart = [("operation", "GET /cart")]
    for low, high in ((d, None), (d + 1, None), (None, d), (None, d - 1), (d, d)):
        params = cart + ([("minDuration", f"{low}ns")] if low else []) + ([("maxDuration", f"{high}ns")] if high else [])
        expected = expected_ids(seed, lambda s: s.name == "GET /cart" and (low is None or s.duration >= low)
                                and (high is None or s.duration <= high))
        assert (trace_hex(4) in expected) == (d + 1 not in (low, high) and d - 1 not in (low, high))
        assert search_ids(server, wide(seed) + params) == expected, params


@pytest.mark.parametrize("text", ["1.5s", "1500ms", "1500000us", "1500000µs", "1500000000ns", "1.5", "0h0m1.5s"])
def test_duration_formats(seeded, text):
    server, seed = seeded
    expected = expected_ids(seed, lambda s: s.duration >= 1500 * MS)
    assert expected and search_ids(server, wide(seed) + [("minDuration", text)]) == expected


def test_window_start_is_inclusive_and_end_exclusive(seeded):
    server, seed = seeded
    s5 = seed.trace_spans(5)[0].start  # trace 5: root at s5, client child at s5 + 1 ms; neighbours 12 s away
    wrong = []
    for start, end, expected in ((s5, s5 + 1, [trace_hex(5)]), (s5 - SEC, s5, []), (s5 + 1, s5 + MS, []),
                                 (s5 + MS, s5 + MS + 1, [trace_hex(5)]), (s5 + MS - 1, s5 + MS, [])):
        assert expected_ids(seed, start=start, end=end) == expected
        got = search_ids(server, [("start", str(start)), ("end", str(end))])
        if got != expected:
            wrong.append(f"[s5{start - s5:+d}ns, s5{end - s5:+d}ns): expected {expected}, got {got}")
    assert not wrong, "; ".join(wrong)


def rfc3339(ns: int, offset_hours: int = 0) -> str:
    zone = timezone(timedelta(hours=offset_hours))
    moment = datetime.fromtimestamp(ns // SEC, zone).replace(microsecond=ns % SEC // 1000)
    text = moment.isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z") if offset_hours == 0 else text


@pytest.mark.parametrize("form", ["unix seconds", "unix seconds fraction", "unix nanoseconds", "rfc3339 Z", "rfc3339 offset"])
def test_time_formats(seeded, form):
    server, seed = seeded
    start, end = seed.trace_spans(5)[0].start - 500 * MS, seed.trace_spans(7)[0].start + 500 * MS
    as_text = {"unix seconds": lambda t: str(t // SEC), "unix seconds fraction": lambda t: f"{t // SEC}.{t % SEC // MS:03d}",
               "unix nanoseconds": str, "rfc3339 Z": rfc3339, "rfc3339 offset": lambda t: rfc3339(t, 1)}[form]
    if form == "unix seconds":  # whole seconds: widen to the seconds around the window
        start, end = start // SEC * SEC, end // SEC * SEC + SEC
    expected = expected_ids(seed, start=start, end=end)
    assert expected == [trace_hex(7), trace_hex(6), trace_hex(5)]
    assert search_ids(server, [("start", as_text(start)), ("end", as_text(end))]) == expected


def test_default_window_is_the_last_hour_and_default_limit_20(seeded):
    server, seed = seeded
    recent = expected_ids(seed, start=seed.t0 - 10 * MIN)  # everything but the two-hour-old trace
    assert len(recent) == 25 and trace_hex(OLD) not in recent
    body = ok_json(server, SEARCH)
    assert [t["traceId"] for t in body["traces"]] == recent[:20] and body["nextCursor"] is not None
    only_end = [("end", str(seed.t0 + 20 * MIN))]  # start = end - 1 h
    assert search_ids(server, only_end) == recent
    only_start = [("start", str(seed.t0 - 180 * MIN))]  # end = now
    assert search_ids(server, only_start) == expected_ids(seed) and trace_hex(OLD) in expected_ids(seed)


def test_order_is_by_newest_matching_span_not_trace_start(seeded):
    server, seed = seeded
    for params, match in (([], lambda s: True), ([("service", "worker")], lambda s: s.service == "worker")):
        expected = expected_ids(seed, match)
        by_trace_start = sorted(expected, key=lambda h: -min(s.start for s in seed.spans if s.trace_hex == h))
        assert expected != by_trace_start, "the seed should tell the two orders apart"
        assert search_ids(server, wide(seed) + params) == expected


@pytest.mark.parametrize("params", [[], [("service", "inventory")], [("status", "error")]], ids=["all", "inventory", "error"])
def test_summaries_cover_every_stored_span_of_the_trace(seeded, params):
    server, seed = seeded
    traces = ok_json(server, SEARCH, wide(seed) + params + [("limit", "1000")])["traces"]
    assert traces
    for got in traces:
        n = next(n for n in seed.trace_numbers() if trace_hex(n) == got["traceId"])
        assert {**got, "services": sorted(got["services"])} == summary(seed, n)
        assert len(got["services"]) == len(set(got["services"]))


@pytest.mark.parametrize("params", [[], [("service", "checkout")], [("status", "unset")]], ids=["all", "checkout", "unset"])
def test_pagination_visits_every_trace_once(seeded, params):
    server, seed = seeded
    filters = {"service": lambda s: s.service == "checkout", "status": lambda s: s.status == UNSET}
    expected = expected_ids(seed, lambda s: all(filters[k](s) for k, _ in params))
    pages = all_pages(server, SEARCH, wide(seed) + params + [("limit", "2")], "traces")
    assert len(pages) >= 3 and all(len(p) == 2 for p in pages[:-1]) and 1 <= len(pages[-1]) <= 2
    visited = [t["traceId"] for page in pages for t in page]
    assert visited == expected and len(set(visited)) == len(visited)


def test_empty_results(seeded):
    server, seed = seeded
    for params in (wide(seed) + [("service", "nope")], [("start", str(seed.t0 - 300 * MIN)), ("end", str(seed.t0 - 200 * MIN))]):
        assert ok_json(server, SEARCH, params) == {"traces": [], "nextCursor": None}


BAD = [("start", "yesterday"), ("start", "2026-11-21"), ("start", "2026-11-21T06:00:00"), ("start", "12345678901234"),
       ("end", "later"), ("end", "2026-13-40T00:00:00Z"), ("minDuration", "-5ms"), ("minDuration", "5 parsecs"),
       ("maxDuration", "abc"), ("maxDuration", "3d"), ("status", "failed"), ("limit", "0"), ("limit", "1001"),
       ("limit", "abc"), ("cursor", "!!not-a-cursor!!")]


@pytest.mark.parametrize("name,value", BAD, ids=[f"{n}={v}" for n, v in BAD])
def test_bad_parameter_is_400_naming_it(seeded, name, value):
    server, seed = seeded
    params = [p for p in wide(seed) if p[0] != name] + [(name, value)]
    assert_error(api(server, SEARCH, params), 400, "bad_request", name)


@pytest.mark.parametrize("delta", [0, -SEC])
def test_start_not_before_end_is_400_naming_start(seeded, delta):
    server, seed = seeded
    end = seed.t0
    assert_error(api(server, SEARCH, [("start", str(end - delta)), ("end", str(end))]), 400, "bad_request", "start")


def test_trace_spans_carry_exactly_their_own_logs(seeded):
    server, seed = seeded
    for n in seed.trace_numbers():
        trace = ok_json(server, f"/api/v1/traces/{trace_hex(n)}")
        trace_logs = sorted((r.time, r.span_hex) for r in seed.logs if r.trace == n)
        assert sorted((int(r["timeUnixNano"]), r["spanId"]) for r in trace["logs"]) == trace_logs
        assert {s["spanId"] for s in trace["spans"]} == {s.span_hex for s in seed.trace_spans(n)}
        for span in trace["spans"]:
            expected = sorted((r.time, r.severity, r.body) for r in seed.logs if r.trace == n and r.span_hex == span["spanId"])
            got = sorted((int(r["timeUnixNano"]), r["severityNumber"], r["body"] if isinstance(r["body"], str) else
                          {k: v for k, v in r["body"]["kvlistValue"].items()}) for r in span["logs"])
            assert got == expected, (n, span["name"])
            assert all(r["traceId"] == trace_hex(n) and r["spanId"] == span["spanId"] for r in span["logs"])
    assert any(r.trace == 0 and r.span is None for r in seed.logs), "the seed should hold a log without a span"


def test_trace_by_id_errors(seeded):
    server, _ = seeded
    assert_error(api(server, f"/api/v1/traces/{trace_hex(999)}"), 404, "not_found")
    assert_error(api(server, "/api/v1/traces/not-a-trace-id"), 400, "bad_request")
