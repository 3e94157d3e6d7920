"""GET /api/v1/logs on a fresh server holding the seed of query_helpers: record fields, each filter
(service, severityMin as number and name, traceId, q on string and structured bodies, attr.*) alone and
combined, window edges, newest-first order, pagination and the 400s."""

from __future__ import annotations

import json

import pytest

from otlp_helpers import assert_json_equal, vigil_attributes, vigil_value
from query_helpers import (
    MIN, MS, OLD, SEVERITY_TEXT, all_pages, api, assert_error, is_integer_text, ok_json, seeded, trace_hex)  # noqa: F401

LOGS = "/api/v1/logs"


def wide(seed) -> list[tuple[str, str]]:
    return [("start", str(seed.t0 - 180 * MIN)), ("end", str(seed.t0 + 20 * MIN))]


def expected_times(seed, match=lambda r: True, start: int | None = None, end: int | None = None) -> list[str]:
    """The contract's answer as timeUnixNano strings (unique in the seed), newest first."""
    start = seed.t0 - 180 * MIN if start is None else start
    end = seed.t0 + 20 * MIN if end is None else end
    return [str(r.time) for r in sorted(seed.logs, key=lambda r: -r.time) if start <= r.time < end and match(r)]


def listed_times(server, params) -> list[str]:
    body = ok_json(server, LOGS, params + [("limit", "1000")])
    assert body["nextCursor"] is None
    return [r["timeUnixNano"] for r in body["logs"]]


def body_contains(record, q: str) -> bool:
    if record.body is None:
        return False
    text = record.body if isinstance(record.body, str) else json.dumps(record.body)
    return q.lower() in text.lower()


def test_seed_log_times_are_unique(seeded):
    _, seed = seeded
    assert len({r.time for r in seed.logs}) == len(seed.logs)


def test_records_have_every_field_as_sent(seeded):
    server, seed = seeded
    got = {r["timeUnixNano"]: r for r in ok_json(server, LOGS, wide(seed) + [("limit", "1000")])["logs"]}
    assert sorted(got) == sorted(str(r.time) for r in seed.logs)
    for record in seed.logs:
        actual = dict(got[str(record.time)])
        for key in ("resourceId", "scopeId"):
            value = actual.pop(key)
            assert is_integer_text(value), (key, value)
        assert_json_equal(actual, {
            "timeUnixNano": str(record.time), "observedTimeUnixNano": str(record.time + MS),
            "severityNumber": record.severity, "severityText": SEVERITY_TEXT[record.severity],
            "hasBody": record.body is not None, "body": None if record.body is None else vigil_value(record.body),
            "attributes": vigil_attributes(record.attrs), "droppedAttributesCount": 0, "flags": 0,
            "traceId": record.trace_hex, "spanId": record.span_hex, "eventName": "", "serviceName": record.service,
        }, f"log@{record.time}")


FILTERS = {
    "service": ([("service", "inventory")], lambda r: r.service == "inventory"),
    "severityMin number": ([("severityMin", "13")], lambda r: r.severity >= 13),
    "severityMin 17": ([("severityMin", "17")], lambda r: r.severity >= 17),
    "traceId": ([("traceId", trace_hex(101))], lambda r: r.trace == 101),
    "q on string bodies, any case": ([("q", "stock low")], lambda r: body_contains(r, "stock low")),
    "q on structured bodies": ([("q", "cart FAILURE")], lambda r: body_contains(r, "cart failure")),
    "q mixed case in body": ([("q", "out of memory")], lambda r: body_contains(r, "out of memory")),
    "attr string": ([("attr.user.id", "u4")], lambda r: r.has_attr("user.id", "u4")),
    "attr int": ([("attr.http.response.status_code", "402")], lambda r: r.has_attr("http.response.status_code", "402")),
    "attr resource": ([("attr.worker.pool", "blue")], lambda r: r.has_attr("worker.pool", "blue")),
    "service, severityMin name and q": ([("service", "checkout"), ("severityMin", "info"), ("q", "cart")],
                                        lambda r: r.service == "checkout" and r.severity >= 9 and body_contains(r, "cart")),
    "traceId and severityMin": ([("traceId", trace_hex(8)), ("severityMin", "ERROR")], lambda r: r.trace == 8 and r.severity >= 17),
    "attr resource and attr span": ([("attr.deployment.environment", "prod"), ("attr.sku", "sku-6")],
                                    lambda r: r.has_attr("deployment.environment", "prod") and r.has_attr("sku", "sku-6")),
    "no match": ([("q", "no such text anywhere")], lambda r: False),
}


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter(seeded, name):
    server, seed = seeded
    params, match = FILTERS[name]
    expected = expected_times(seed, match)
    assert listed_times(server, wide(seed) + params) == expected
    if name != "no match":
        assert 0 < len(expected) < len(seed.logs), f"{name} does not narrow the seed"


@pytest.mark.parametrize("name,number", [("trace", 1), ("DEBUG", 5), ("Info", 9), ("warn", 13), ("WARN", 13),
                                         ("error", 17), ("FATAL", 21), ("2", 2), ("18", 18)])
def test_severity_names_and_numbers(seeded, name, number):
    server, seed = seeded
    expected = expected_times(seed, lambda r: r.severity >= number)
    assert expected and listed_times(server, wide(seed) + [("severityMin", name)]) == expected


def test_window_start_is_inclusive_and_end_exclusive(seeded):
    server, seed = seeded
    t = next(r.time for r in seed.logs if r.body == "Dequeued order o2")
    wrong = []
    for start, end in ((t, t + 1), (t - MS, t), (t + 1, t + MS), (t - 1, t)):
        expected = expected_times(seed, start=start, end=end)
        assert (expected == [str(t)]) == (start == t)
        got = listed_times(server, [("start", str(start)), ("end", str(end))])
        if got != expected:
            wrong.append(f"[t{start - t:+d}ns, t{end - t:+d}ns): expected {expected}, got {got}")
    assert not wrong, "; ".join(wrong)


def test_default_window_is_the_last_hour(seeded):
    server, seed = seeded
    body = ok_json(server, LOGS)
    recent = expected_times(seed, start=seed.t0 - 10 * MIN)
    assert len(recent) == len(seed.logs) - 1 and not any(r.trace == OLD and str(r.time) in recent for r in seed.logs)
    assert [r["timeUnixNano"] for r in body["logs"]] == recent and body["nextCursor"] is None


@pytest.mark.parametrize("params", [[], [("service", "checkout")], [("severityMin", "warn")]], ids=["all", "checkout", "warn"])
def test_pagination_visits_every_record_once_newest_first(seeded, params):
    server, seed = seeded
    filters = {"service": lambda r: r.service == "checkout", "severityMin": lambda r: r.severity >= 13}
    expected = expected_times(seed, lambda r: all(filters[k](r) for k, _ in params))
    pages = all_pages(server, LOGS, wide(seed) + params + [("limit", "3")], "logs")
    assert len(pages) >= 3 and all(len(p) == 3 for p in pages[:-1]) and 1 <= len(pages[-1]) <= 3
    visited = [r["timeUnixNano"] for page in pages for r in page]
    assert visited == expected and len(set(visited)) == len(visited)


BAD = [("severityMin", "0"), ("severityMin", "25"), ("severityMin", "loud"), ("severityMin", "-1"),
       ("traceId", "xyz"), ("traceId", "5eed" + "0" * 27), ("traceId", "5eed" + "0" * 29), ("traceId", "g" * 32),
       ("limit", "0"), ("limit", "1001"), ("limit", "many"), ("start", "soon"), ("end", "2026-11-21 06:00"),
       ("cursor", "%%%")]


@pytest.mark.parametrize("name,value", BAD, ids=[f"{n}={v}" for n, v in BAD])
def test_bad_parameter_is_400_naming_it(seeded, name, value):
    server, seed = seeded
    params = [p for p in wide(seed) if p[0] != name] + [(name, value)]
    assert_error(api(server, LOGS, params), 400, "bad_request", name)


def test_start_not_before_end_is_400_naming_start(seeded):
    server, seed = seeded
    assert_error(api(server, LOGS, [("start", str(seed.t0)), ("end", str(seed.t0))]), 400, "bad_request", "start")
