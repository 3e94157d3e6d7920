"""GET /api/v1/services, /api/v1/services/{s}/operations and /api/v1/red on a fresh server holding the
seed of query_helpers. RED expectations (counts, rates, error ratios, nearest-rank latency quantiles)
are computed from the seeded spans."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from query_helpers import (
    CLIENT, CONSUMER, ERROR, INTERNAL, KIND_NAMES, MIN, SEC, SERVER, api, assert_error, ok_json, seeded)  # noqa: F401

RED = "/api/v1/red"
QUANTILES = {"p50": "0.5", "p90": "0.9", "p99": "0.99"}


def nearest_rank(values: list[int], q: str) -> int:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(Fraction(q) * len(ordered))) - 1]


def red_model(seed, step: int, start: int, end: int, kinds=(SERVER, CONSUMER), service=None, operation=None) -> dict:
    """{(service, operation): {bucket start (s): [spans]}} for spans of `kinds` starting in [start, end)."""
    series: dict = {}
    for s in seed.spans:
        if s.kind in kinds and start <= s.start < end and service in (None, s.service) and operation in (None, s.name):
            minute = s.start // MIN * 60
            series.setdefault((s.service, s.name), {}).setdefault(minute // step * step, []).append(s)
    return series


def check_red(body: dict, model: dict, step: int) -> None:
    assert body["step"] == step
    got = {(g["service"], g["operation"]): g["points"] for g in body["series"]}
    assert len(got) == len(body["series"]), "one series per service and operation"
    assert sorted(got) == sorted(model)
    for key, buckets in model.items():
        points = sorted(got[key], key=lambda p: p["time"])
        assert [p["time"] for p in points] == sorted(buckets), key
        for point in points:
            spans = buckets[point["time"]]
            errors = sum(s.status == ERROR for s in spans)
            assert (point["requests"], point["errors"]) == (len(spans), errors), (key, point)
            assert math.isclose(point["requestRate"], len(spans) / step, rel_tol=1e-9), (key, point)
            assert math.isclose(point["errorRatio"], errors / len(spans), rel_tol=1e-9, abs_tol=1e-12), (key, point)
            for name, q in QUANTILES.items():
                true = nearest_rank([s.duration for s in spans], q) / SEC
                assert abs(point["latency"][name] - true) <= 0.02 * true + 1e-12, (key, point["time"], name, point["latency"], true)


def window(start: int, end: int, *extra) -> list[tuple[str, str]]:
    return [("start", str(start)), ("end", str(end)), *extra]


def test_services_are_listed_sorted_by_name(seeded):
    server, seed = seeded
    expected = [{"name": name} for name in sorted({s.service for s in seed.spans} | {r.service for r in seed.logs})]
    assert len(expected) == 4
    assert ok_json(server, "/api/v1/services") == {"services": expected}


def operations(seed, service: str, start: int) -> list[dict]:
    keys = sorted({(s.name, s.kind) for s in seed.spans if s.service == service and s.start >= start})
    return [{"name": name, "spanKind": kind, "spanKindName": KIND_NAMES[kind]} for name, kind in keys]


@pytest.mark.parametrize("service", ["checkout", "worker", "payments"])
def test_operations_of_a_service_with_kinds(seeded, service):
    server, seed = seeded
    expected = operations(seed, service, seed.t0 - 180 * MIN)  # default: the last 24 h
    assert ok_json(server, f"/api/v1/services/{service}/operations") == {"operations": expected}
    recent = operations(seed, service, seed.t0 - 10 * MIN)
    assert ok_json(server, f"/api/v1/services/{service}/operations", window(seed.t0 - 10 * MIN, seed.t0 + 20 * MIN)) == {"operations": recent}
    if service == "checkout":
        assert {o["spanKind"] for o in expected} == {SERVER, CLIENT} and len(recent) == len(expected) - 1


def test_operations_of_an_unknown_service_are_empty(seeded):
    server, _ = seeded
    assert ok_json(server, "/api/v1/services/no-such-service/operations") == {"operations": []}


def test_operations_bad_start_is_400(seeded):
    server, _ = seeded
    assert_error(api(server, "/api/v1/services/checkout/operations", [("start", "noon")]), 400, "bad_request", "start")


def test_red_defaults_to_server_and_consumer_spans(seeded):
    server, seed = seeded
    start, end = seed.t0, seed.t0 + 10 * MIN
    model = red_model(seed, 600, start, end)
    assert {k for k in model} == {("checkout", "GET /cart"), ("checkout", "POST /orders"), ("inventory", "GET /stock"),
                                  ("payments", "POST /charge"), ("worker", "process order")}
    assert max(len(b) for series in model.values() for b in series.values()) == 20
    check_red(ok_json(server, RED, window(start, end, ("step", "600s"))), model, 600)


def test_red_per_minute_buckets(seeded):
    server, seed = seeded
    start, end = seed.t0 - 10 * MIN, seed.t0 + 10 * MIN
    model = red_model(seed, 60, start, end)
    assert len(model[("checkout", "GET /cart")]) == 4
    check_red(ok_json(server, RED, window(start, end, ("step", "60"))), model, 60)


@pytest.mark.parametrize("kinds,params", [
    ((CLIENT,), [("spanKind", "client")]), ((CLIENT,), [("spanKind", "3")]), ((INTERNAL,), [("spanKind", "internal")]),
    ((SERVER, CLIENT), [("spanKind", "server"), ("spanKind", "client")]), ((CONSUMER,), [("spanKind", "5")]),
], ids=["client", "3", "internal", "server+client", "5"])
def test_red_explicit_span_kinds(seeded, kinds, params):
    server, seed = seeded
    start, end = seed.t0, seed.t0 + 10 * MIN
    model = red_model(seed, 600, start, end, kinds)
    assert model
    check_red(ok_json(server, RED, window(start, end, ("step", "10m"), *params)), model, 600)


def test_red_service_and_operation_filters(seeded):
    server, seed = seeded
    start, end = seed.t0, seed.t0 + 10 * MIN
    for params, service, operation in (([("service", "checkout")], "checkout", None),
                                       ([("operation", "POST /charge")], None, "POST /charge"),
                                       ([("service", "checkout"), ("operation", "GET /cart")], "checkout", "GET /cart"),
                                       ([("service", "nope")], "nope", None)):
        model = red_model(seed, 300, start, end, service=service, operation=operation)
        check_red(ok_json(server, RED, window(start, end, ("step", "5m"), *params)), model, 300)


def test_red_buckets_are_aligned_to_multiples_of_step_since_the_epoch(seeded):
    server, seed = seeded
    start, end = seed.t0 - 20 * MIN, seed.t0 + 20 * MIN
    if (start // SEC) % 420 == 0:  # a start that is not itself a multiple of the step
        start -= MIN
    body = ok_json(server, RED, window(start, end, ("step", "7m")))
    assert all(p["time"] % 420 == 0 for g in body["series"] for p in g["points"])
    check_red(body, red_model(seed, 420, start, end), 420)


@pytest.mark.parametrize("hours,step", [(2, 60), (3, 120), (24, 720)])
def test_red_default_step_gives_at_most_120_points(seeded, hours, step):
    server, seed = seeded
    end = seed.t0 + 10 * MIN
    start = end - hours * 60 * MIN
    check_red(ok_json(server, RED, window(start, end)), red_model(seed, step, start, end), step)


def test_red_default_window_is_the_last_24_hours(seeded):
    server, seed = seeded
    body = ok_json(server, RED, [("service", "checkout"), ("step", "1h")])
    check_red(body, red_model(seed, 3600, seed.t0 - 180 * MIN, seed.t0 + 20 * MIN, service="checkout"), 3600)
    assert ("checkout", "GET /health") in {(g["service"], g["operation"]) for g in body["series"]}


@pytest.mark.parametrize("step", ["30s", "90s", "1.5m", "0", "-60s", "abc", "59"])
def test_red_bad_step_is_400(seeded, step):
    server, seed = seeded
    assert_error(api(server, RED, window(seed.t0, seed.t0 + 10 * MIN, ("step", step))), 400, "bad_request", "step")


@pytest.mark.parametrize("name,value", [("spanKind", "sideways"), ("spanKind", "9"), ("start", "dawn"), ("end", "1.2.3")])
def test_red_bad_parameter_is_400(seeded, name, value):
    server, seed = seeded
    params = [p for p in window(seed.t0, seed.t0 + 10 * MIN) if p[0] != name] + [(name, value)]
    assert_error(api(server, RED, params), 400, "bad_request", name)
