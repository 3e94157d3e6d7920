"""amtool against a running Vigil, and Vigil's Alertmanager API v2 beside a real Alertmanager given
the same alertmanager.yml (alerting/webhook.yml) and the same requests: alerts added and queried,
silences added, listed, suppressing and expired, status, receivers, validation and reload.

Every amtool call also exercises GET /api/v2/status, which amtool reads first to check the
server's version; `amtool alert query` sends GET /api/v2/alerts with active/silenced/inhibited/
unprocessed flags and `filter` matchers; `silence query` filters client-side on status.state."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from alerting_helpers import (
    FIXTURES, ToolProcess, WebhookRecorder, amtool, amtool_at, eventually, fixture_text, now, parse_time,
    rfc3339, start_alertmanager, table_rows, write_vigil_config)
from vigil_server import VigilServer

SERVERS = ("alertmanager", "vigil")  # the reference first


@dataclass
class Stack:
    vigil: VigilServer
    alertmanager: ToolProcess
    config_path: Path  # the alertmanager.yml both servers run

    def url(self, server: str) -> str:
        return self.vigil.api_url if server == "vigil" else self.alertmanager.url

    def logs(self) -> str:
        return f"--- alertmanager log\n{self.alertmanager.log_text()}\n--- vigil log\n{self.vigil.log_text()}"


@pytest.fixture(scope="module")
def stack(module_server_factory, tmp_path_factory):
    directory = tmp_path_factory.mktemp("alerting-amtool")
    with WebhookRecorder() as recorder:
        config = fixture_text("webhook.yml", WEBHOOK_URL=recorder.url)
        vigil_yaml = write_vigil_config(directory / "vigil", config)
        vigil = module_server_factory.start(config_path=vigil_yaml)
        alertmanager = start_alertmanager(vigil_yaml.parent / "alertmanager.yml", directory / "alertmanager")
        try:
            yield Stack(vigil, alertmanager, vigil_yaml.parent / "alertmanager.yml")
        finally:
            alertmanager.stop()


def ok(run):
    assert run.returncode == 0, run.describe()
    return run


def add_alert(url: str, alertname: str, *labels: str) -> None:
    ok(amtool_at(url, "alert", "add", f"alertname={alertname}", "severity=warning", "instance=db1", *labels,
                 "--annotation=summary=disk is full", "--annotation=runbook=https://runbooks.example/disk",
                 "--generator-url=http://generator.example/graph?g0.expr=up"))


def api_alerts(url: str, alertname: str) -> list[dict]:
    answer = requests.get(url + "/api/v2/alerts", params={"filter": f'alertname="{alertname}"'}, timeout=10)
    assert answer.status_code == 200, f"GET {answer.url}: HTTP {answer.status_code} {answer.text[:300]}"
    return answer.json()


def one_alert_in_state(url: str, alertname: str, state: str) -> dict | None:
    alerts = api_alerts(url, alertname)
    return alerts[0] if len(alerts) == 1 and alerts[0]["status"]["state"] == state else None


def without(row: list[str], header: list[str], *columns: str) -> list[str]:
    """A table row without the given (time or ID) columns, which differ between two servers."""
    drop = {header.index(c) for c in columns}
    return [cell for i, cell in enumerate(row) if i not in drop]


# --- Alerts ----------------------------------------------------------------------------------

def test_amtool_alert_add_then_query_shows_it(stack):
    name = "AmtoolAdded"
    before = now()
    found = {}
    for server in SERVERS:
        url = stack.url(server)
        add_alert(url, name)
        found[server] = eventually(
            lambda: [a for a in json.loads(ok(amtool_at(url, "alert", "query", "-o", "json", f"alertname={name}")).stdout)],
            10, f"`amtool alert query` on {server} to list {name}", stack.logs)
    expected, got = found["alertmanager"], found["vigil"]
    assert len(got) == 1, got
    alert, reference = got[0], expected[0]
    assert set(alert) == set(reference), "the JSON alert should have Alertmanager's fields"
    for key in ("labels", "annotations", "generatorURL", "receivers", "status"):
        assert alert[key] == reference[key], key
    assert alert["labels"] == {"alertname": name, "severity": "warning", "instance": "db1"}
    assert alert["status"] == {"state": "active", "silencedBy": [], "inhibitedBy": []}
    assert alert["receivers"] == [{"name": "hook"}]
    assert isinstance(alert["fingerprint"], str) and alert["fingerprint"]
    # amtool sends the zero time as startsAt and endsAt: the server starts the alert now and ends
    # it after resolve_timeout (5 m by default), as Alertmanager does.
    starts, ends = parse_time(alert["startsAt"]), parse_time(alert["endsAt"])
    assert before - timedelta(seconds=5) <= starts <= now() + timedelta(seconds=5), alert["startsAt"]
    reference_lifetime = parse_time(reference["endsAt"]) - parse_time(reference["startsAt"])
    assert abs((ends - starts) - reference_lifetime) < timedelta(seconds=10), (alert["endsAt"], reference)
    parse_time(alert["updatedAt"])

    for output, times in (("simple", ["Starts At"]), ("extended", ["Starts At", "Ends At"])):
        tables = {s: table_rows(ok(amtool_at(stack.url(s), "alert", "query", "-o", output, f"alertname={name}")).stdout)
                  for s in SERVERS}
        header = tables["alertmanager"][0]
        assert tables["vigil"][0] == header, output
        assert [without(r, header, *times) for r in tables["vigil"][1:]] == \
               [without(r, header, *times) for r in tables["alertmanager"][1:]], output
    row = table_rows(ok(amtool_at(stack.vigil.api_url, "alert", "query", f"alertname={name}")).stdout)[1]
    assert [row[0], row[2], row[3]] == [name, "disk is full", "active"], row


def test_alert_groups_match_alertmanager(stack):
    name = "AmtoolGrouped"
    groups = {}
    for server in SERVERS:
        url = stack.url(server)
        for instance in ("db1", "db2"):
            ok(amtool_at(url, "alert", "add", f"alertname={name}", "severity=critical", "team=db", f"instance={instance}"))

        def probe():
            answer = requests.get(url + "/api/v2/alerts/groups", params={"filter": f'alertname="{name}"'}, timeout=10)
            assert answer.status_code == 200, answer.text[:300]
            found = [g for g in answer.json() if g["labels"].get("alertname") == name]
            return found if sum(len(g["alerts"]) for g in found) == 2 else None
        groups[server] = eventually(probe, 10, f"{server} to group both {name} alerts", stack.logs)
    expected, got = groups["alertmanager"], groups["vigil"]
    assert len(got) == 1 and set(got[0]) == set(expected[0]) == {"alerts", "labels", "receiver"}
    assert got[0]["labels"] == expected[0]["labels"] == {"alertname": name, "team": "db"}
    assert got[0]["receiver"] == expected[0]["receiver"] == {"name": "pager"}
    assert sorted(a["labels"]["instance"] for a in got[0]["alerts"]) == ["db1", "db2"]
    assert set(got[0]["alerts"][0]) == set(expected[0]["alerts"][0])


# --- Silences --------------------------------------------------------------------------------

def test_amtool_silence_add_query_suppress_expire(stack):
    name = "AmtoolSilenced"
    seen = {}
    for server in SERVERS:
        url = stack.url(server)
        add_alert(url, name)
        created = now()
        added = ok(amtool_at(url, "silence", "add", f"alertname={name}", 'instance=~"db.*"',
                             "--comment=maintenance window", "--author=alice", "--duration=2h"))
        silence_id = added.stdout.strip()
        assert silence_id and len(added.stdout.split()) == 1, f"`silence add` should print the new ID\n{added.describe()}"
        listing = table_rows(ok(amtool_at(url, "silence", "query")).stdout)
        rows = [r for r in listing[1:] if r[0] == silence_id]
        assert len(rows) == 1, f"{server}: `silence query` should list {silence_id}: {listing}"
        as_json = [s for s in json.loads(ok(amtool_at(url, "silence", "query", "-o", "json")).stdout) if s["id"] == silence_id]
        assert len(as_json) == 1, as_json
        silence = as_json[0]
        assert silence["status"] == {"state": "active"} and silence["createdBy"] == "alice"
        assert silence["comment"] == "maintenance window"
        assert abs(parse_time(silence["endsAt"]) - (created + timedelta(hours=2))) < timedelta(minutes=2), silence

        suppressed = eventually(lambda: one_alert_in_state(url, name, "suppressed"), 10,
                                f"{name} to be suppressed on {server}", stack.logs)
        assert suppressed["status"]["silencedBy"] == [silence_id] and suppressed["status"]["inhibitedBy"] == []
        active_only = table_rows(ok(amtool_at(url, "alert", "query", f"alertname={name}")).stdout)
        silenced = table_rows(ok(amtool_at(url, "alert", "query", "--silenced", f"alertname={name}")).stdout)

        ok(amtool_at(url, "silence", "expire", silence_id))
        answer = requests.get(f"{url}/api/v2/silence/{silence_id}", timeout=10)
        assert answer.status_code == 200, answer.text[:300]
        expired = answer.json()
        unexpired_ids = ok(amtool_at(url, "silence", "query", "-q")).stdout.split()
        expired_ids = ok(amtool_at(url, "silence", "query", "--expired", "-q")).stdout.split()
        active_again = eventually(lambda: one_alert_in_state(url, name, "active"), 10,
                                  f"{name} to be active again on {server}", stack.logs)
        seen[server] = dict(listing=listing, row=rows[0], silence=silence, suppressed=suppressed, active_only=active_only,
                            silenced=silenced, expired=expired, unexpired_ids=unexpired_ids, expired_ids=expired_ids,
                            active_again=active_again, silence_id=silence_id)

    expected, got = seen["alertmanager"], seen["vigil"]
    header = expected["listing"][0]
    assert got["listing"][0] == header
    assert without(got["row"], header, "ID", "Ends At") == without(expected["row"], header, "ID", "Ends At") == \
        ['alertname="AmtoolSilenced" instance=~"db.*"', "alice", "maintenance window"]
    assert set(got["silence"]) == set(expected["silence"])
    assert got["silence"]["matchers"] == expected["silence"]["matchers"]
    assert set(got["suppressed"]["status"]) == set(expected["suppressed"]["status"])
    # The silenced alert leaves `alert query` and shows as suppressed under --silenced.
    assert got["active_only"] == expected["active_only"] and len(got["active_only"]) == 1  # header only
    assert [r[-1] for r in got["silenced"][1:]] == [r[-1] for r in expected["silenced"][1:]] == ["suppressed"]
    assert got["expired"]["status"] == expected["expired"]["status"] == {"state": "expired"}
    assert set(got["expired"]) == set(expected["expired"])
    assert parse_time(got["expired"]["endsAt"]) <= now() + timedelta(seconds=5)
    assert got["silence_id"] not in got["unexpired_ids"] and got["silence_id"] in got["expired_ids"]
    assert got["active_again"]["status"] == {"state": "active", "silencedBy": [], "inhibitedBy": []}


def test_silence_starting_later_is_pending(stack):
    start = now() + timedelta(hours=1)
    body = {"matchers": [{"name": "alertname", "value": "Later", "isRegex": False, "isEqual": True}],
            "startsAt": rfc3339(start), "endsAt": rfc3339(start + timedelta(hours=1)),
            "createdBy": "bob", "comment": "next maintenance"}
    silences = {}
    for server in SERVERS:
        url = stack.url(server)
        answer = requests.post(url + "/api/v2/silences", json=body, timeout=10)
        assert answer.status_code == 200 and set(answer.json()) == {"silenceID"}, f"{server}: {answer.status_code} {answer.text[:300]}"
        silence_id = answer.json()["silenceID"]
        silences[server] = requests.get(f"{url}/api/v2/silence/{silence_id}", timeout=10).json()
        assert silence_id in ok(amtool_at(url, "silence", "query", "-q")).stdout.split()
    assert silences["vigil"]["status"] == silences["alertmanager"]["status"] == {"state": "pending"}
    assert set(silences["vigil"]) == set(silences["alertmanager"])
    assert parse_time(silences["vigil"]["startsAt"]) == parse_time(body["startsAt"])


def test_unknown_silence_id_is_404(stack):
    """DELETE is 404 by the contract (Alertmanager 0.25 answers 500 there); GET is 404 in both."""
    unknown = str(uuid.uuid4())
    answer = requests.delete(f"{stack.vigil.api_url}/api/v2/silence/{unknown}", timeout=10)
    assert answer.status_code == 404, f"DELETE: HTTP {answer.status_code} {answer.text[:300]}"
    for server in SERVERS:
        answer = requests.get(f"{stack.url(server)}/api/v2/silence/{unknown}", timeout=10)
        assert answer.status_code == 404, f"{server}: GET: HTTP {answer.status_code} {answer.text[:300]}"


# --- Status, receivers, what amtool reads from them ------------------------------------------

def test_status_has_config_version_uptime_and_cluster(stack):
    status = {s: requests.get(stack.url(s) + "/api/v2/status", timeout=10).json() for s in SERVERS}
    got, expected = status["vigil"], status["alertmanager"]
    assert set(got) == set(expected) == {"cluster", "config", "uptime", "versionInfo"}
    assert set(got["config"]) == {"original"} and "hook" in got["config"]["original"]
    assert set(got["versionInfo"]) == set(expected["versionInfo"])
    assert all(isinstance(v, str) for v in got["versionInfo"].values()) and got["versionInfo"]["version"]
    assert parse_time(got["uptime"]) <= now() + timedelta(seconds=5)
    assert got["cluster"]["status"] in {"ready", "settling", "disabled"}, got["cluster"]
    assert isinstance(got["cluster"]["peers"], list) and set(got["cluster"]) <= {"name", "status", "peers"}
    assert "Cluster Status:" in ok(amtool_at(stack.vigil.api_url, "cluster", "show")).stdout


def test_amtool_reads_the_routing_tree_from_config_original(stack):
    """Without --config.file, `amtool config routes` parses config.original of GET /api/v2/status."""
    url = stack.vigil.api_url
    ok(amtool_at(url, "config", "show"))
    for args in (["show"], ["test", "severity=critical"], ["test", "severity=warning", "team=db"]):
        from_file = ok(amtool("config", "routes", *args[:1], f"--config.file={stack.config_path}", *args[1:]))
        from_vigil = amtool_at(url, "config", "routes", *args)
        assert (from_vigil.stdout, from_vigil.returncode) == (from_file.stdout, 0), from_vigil.describe()


def test_receivers_are_listed_in_config_order(stack):
    answers = {s: requests.get(stack.url(s) + "/api/v2/receivers", timeout=10) for s in SERVERS}
    assert answers["vigil"].status_code == 200
    assert answers["vigil"].json() == answers["alertmanager"].json() == [{"name": "hook"}, {"name": "pager"}]


# --- POST /api/v2/alerts validation ----------------------------------------------------------

LABELS = {"alertname": "InvalidPost", "severity": "warning"}
INVALID_POSTS = [
    # (name, body, Vigil statuses allowed besides Alertmanager's, words the message names; a tuple: any one)
    ("empty label set", [{"labels": {}, "annotations": {"summary": "x"}}], set(), ["label"]),
    ("no labels field", [{"annotations": {"summary": "x"}}], {400, 422}, ["labels"]),
    ("starts after it ends", [{"labels": LABELS, "startsAt": "2030-01-02T00:00:00Z", "endsAt": "2030-01-01T00:00:00Z"}],
     set(), [("start", "end")]),
    ("invalid label name", [{"labels": {**LABELS, "0bad": "x"}}], set(), ["0bad"]),
    ("invalid time", [{"labels": LABELS, "startsAt": "yesterday"}], set(), []),
    ("an object, not a list", {"labels": LABELS}, set(), []),
    ("not JSON", b"[{labels", set(), []),
]


@pytest.mark.parametrize("name,body,allowed,words", INVALID_POSTS, ids=[p[0] for p in INVALID_POSTS])
def test_invalid_alerts_are_refused_with_a_message(stack, name, body, allowed, words):
    answers = {}
    for server in SERVERS:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        answers[server] = requests.post(stack.url(server) + "/api/v2/alerts", data=data,
                                        headers={"Content-Type": "application/json"}, timeout=10)
    expected, got = answers["alertmanager"], answers["vigil"]
    assert 400 <= expected.status_code < 500, f"Alertmanager accepted it: {expected.status_code} {expected.text[:300]}"
    assert got.status_code in {expected.status_code} | allowed, (
        f"HTTP {got.status_code} {got.text[:300]} (Alertmanager: {expected.status_code} {expected.text[:300]})")
    assert got.text.strip(), "the answer should say what is wrong"
    for choice in words:
        choice = (choice,) if isinstance(choice, str) else choice
        assert any(w.lower() in got.text.lower() for w in choice), f"the message should name {' or '.join(choice)}: {got.text[:300]}"
    assert api_alerts(stack.vigil.api_url, "InvalidPost") == []


def test_valid_alerts_are_accepted(stack):
    started = now() - timedelta(minutes=1)
    body = [{"labels": {"alertname": "PostedDirectly", "instance": f"i{n}"}, "annotations": {"summary": "posted"},
             "startsAt": rfc3339(started), "endsAt": rfc3339(started + timedelta(hours=1)),
             "generatorURL": "http://generator.example/"} for n in range(3)]
    for server in SERVERS:
        answer = requests.post(stack.url(server) + "/api/v2/alerts", json=body, timeout=10)
        assert answer.status_code == 200, f"{server}: HTTP {answer.status_code} {answer.text[:300]}"
    got = eventually(lambda: len(api_alerts(stack.vigil.api_url, "PostedDirectly")) == 3 and
                     api_alerts(stack.vigil.api_url, "PostedDirectly"), 10, "the three posted alerts", stack.logs)
    assert sorted(a["labels"]["instance"] for a in got) == ["i0", "i1", "i2"]
    assert all(parse_time(a["startsAt"]) == parse_time(body[0]["startsAt"]) for a in got), "startsAt as posted"
    assert all(parse_time(a["endsAt"]) == parse_time(body[0]["endsAt"]) for a in got), "endsAt as posted"


# --- Reload ----------------------------------------------------------------------------------

def test_reload_applies_a_new_config_and_keeps_the_old_one_on_error(server_factory, tmp_path):
    with WebhookRecorder() as recorder:
        config = fixture_text("webhook.yml", WEBHOOK_URL=recorder.url)
        vigil_yaml = write_vigil_config(tmp_path / "vigil", config)
        alertmanager_yml = tmp_path / "alertmanager.yml"
        alertmanager_yml.write_text(config)
        vigil = server_factory.start(config_path=vigil_yaml)
        alertmanager = start_alertmanager(alertmanager_yml, tmp_path / "alertmanager")
        urls = {"vigil": vigil.api_url, "alertmanager": alertmanager.url}
        files = {"vigil": vigil_yaml.parent / "alertmanager.yml", "alertmanager": alertmanager_yml}
        try:
            extended = [{"name": "hook"}, {"name": "pager"}, {"name": "added-by-reload"}]
            broken = (FIXTURES / "invalid-undefined-receiver.yml").read_text()
            answers = {}
            for server in SERVERS:
                files[server].write_text(config + "  - name: added-by-reload\n")
                answer = requests.post(urls[server] + "/-/reload", timeout=10)
                assert answer.status_code == 200, f"{server}: HTTP {answer.status_code} {answer.text[:300]}"
                assert requests.get(urls[server] + "/api/v2/receivers", timeout=10).json() == extended, server
                files[server].write_text(broken)
                answers[server] = requests.post(urls[server] + "/-/reload", timeout=10)
                assert requests.get(urls[server] + "/api/v2/receivers", timeout=10).json() == extended, server
            assert answers["alertmanager"].status_code == 500
            assert answers["vigil"].status_code >= 400, answers["vigil"].text[:300]
            assert "nowhere-to-be-found" in answers["vigil"].text, answers["vigil"].text[:300]
        finally:
            alertmanager.stop()
