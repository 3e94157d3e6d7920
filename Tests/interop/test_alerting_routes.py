"""Routing parity with Alertmanager: `vigil routes test`, `vigil routes show` and `vigil check-config`
print what `amtool config routes test`, `amtool config routes show` and `amtool check-config` print on
the same files (alerting/routes-*.yml), and a running Vigil routes and groups posted alerts as a
running Alertmanager does. Every expectation is amtool's or Alertmanager's answer at test time; the
receivers noted in the table only check that each case still proves what its name says."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import requests

from alerting_helpers import (
    FIXTURES, amtool, assert_same_output, eventually, parse_label_argument, start_alertmanager, vigil_cli,
    write_vigil_config)

NESTED, MATCHERS, LEGACY = "routes-nested.yml", "routes-matchers.yml", "routes-legacy.yml"
ROUTING_FIXTURES = [NESTED, MATCHERS, LEGACY]


@dataclass(frozen=True)
class Case:
    name: str
    fixture: str
    labels: tuple[str, ...]
    receivers: str | None  # amtool's answer when the case was written; None: amtool rejects the labels


def case(name: str, fixture: str, labels: str | tuple[str, ...], receivers: str | None) -> Case:
    return Case(name, fixture, tuple(labels.split()) if isinstance(labels, str) else labels, receivers)


CASES = [
    # Nested routes, continue, inheritance (routes-nested.yml).
    case("no labels: first route without matchers", NESTED, (), "catch-all"),
    case("parent matches, no child does", NESTED, "service=mysql", "database"),
    case("continue inside a subtree", NESTED, "service=mysql severity=critical", "database-pager,database-oncall"),
    case("three levels deep", NESTED, "service=postgres severity=critical region=eu-west",
         "database-pager,database-oncall-eu"),
    case("regex .+ needs a character", NESTED, "service=mysql severity=warning region=eu-", "database-oncall"),
    case("child without receiver inherits it", NESTED, "service=mysql severity=info", "database"),
    case("alternation is anchored", NESTED, "service=mysql2 severity=critical", "catch-all"),
    case("continue at the top, then a subtree", NESTED, "service=mysql audit=true severity=critical",
         "audit,database-pager,database-oncall"),
    case("missing label matches !=", NESTED, "team=frontend", "frontend,audit,catch-all"),
    case("!= excludes, later siblings still match", NESTED, "team=frontend env=dev", "audit,catch-all-dev"),
    case("child of a continue route", NESTED, "team=frontend severity=critical", "frontend-critical,audit,catch-all"),
    case("a receiver listed twice", NESTED, "team=frontend audit=true", "audit,frontend,audit,catch-all"),
    case("value differs from the matcher", NESTED, "audit=false", "catch-all"),
    case("child of a route without matchers", NESTED, "env=dev", "catch-all-dev"),
    # Matcher forms and operators (routes-matchers.yml).
    case("brace form, = and =~", MATCHERS, "team=storage env=prod", "brace"),
    case("brace form regex is anchored", MATCHERS, "team=storage env=production", "fallback"),
    case("missing label fails =~", MATCHERS, "team=storage", "fallback"),
    case("comma list, missing label matches !=", MATCHERS, "team=network", "comma-list"),
    case("comma list, != excludes", MATCHERS, "team=network tier=edge", "fallback"),
    case("!~ excludes", MATCHERS, "team=search region=eu-west", "fallback"),
    case("!~ passes", MATCHERS, "team=search region=us-east", "not-regex"),
    case("missing label matches !~", MATCHERS, "team=search", "not-regex"),
    case("value with spaces, comma and quotes", MATCHERS, ('summary="disk full, \\"sda\\" on host 1"',), "quoted"),
    case("unquoted value with a comma", MATCHERS, ("tags=a,b",), "comma-value"),
    case("quoted value with a comma", MATCHERS, ('tags="a,b"',), "comma-value"),
    case("value with = and >", MATCHERS, ("expr=rate>0=bad",), "equals-value"),
    case("escaped quotes in an unquoted value", MATCHERS, ('word=\\"x\\"',), "quote-value"),
    case("non-ASCII value with a space", MATCHERS, ("city=Zürich ☃",), "unicode"),
    case("missing label matches =\"\"", MATCHERS, "team=ml", "empty-equals"),
    case("non-empty value matches !=\"\"", MATCHERS, "team=ml gpu=a100", "not-equals-empty"),
    case("empty value is a missing label", MATCHERS, ("team=ml", "gpu="), "empty-equals"),
    case("a label given twice: the last wins", MATCHERS, ("team=ml", "gpu=a100", "gpu="), "empty-equals"),
    case("=~\".*\" and !~\".+\" on missing labels", MATCHERS, "team=web", "dot-star"),
    case("!~\".+\" excludes a present label", MATCHERS, "team=web zone=a", "fallback"),
    case("regex matches the whole value", MATCHERS, "host=db12", "anchored"),
    case("regex anchored at the end", MATCHERS, "host=db12x", "fallback"),
    case("regex anchored at the start", MATCHERS, "host=mydb1", "fallback"),
    case("regex is case-sensitive", MATCHERS, "host=DB12", "fallback"),
    case("alternation anchored on both sides", MATCHERS, "service=xpostgres", "fallback"),
    case("alternation second branch", MATCHERS, "service=postgres", "alternation"),
    case("matcher with spaces around =", MATCHERS, ("owner=Ops Team",), "spaced"),
    case("label argument quoted, padded", MATCHERS, (' owner = "Ops Team" ',), "spaced"),
    case("two matchers on one label", MATCHERS, "kind=batch env=production", "same-name-twice"),
    case("two matchers on one label, != fails", MATCHERS, "kind=batch env=dev", "fallback"),
    case("two matchers on one label, missing", MATCHERS, "kind=batch", "fallback"),
    # Deprecated match / match_re (routes-legacy.yml).
    case("match: all pairs equal", LEGACY, "service=api severity=critical", "legacy-equal"),
    case("match: one pair differs", LEGACY, "service=api severity=warning", "default"),
    case("match_re: both regexes", LEGACY, "service=web instance=web-1", "legacy-regex"),
    case("match_re is anchored at the end", LEGACY, "service=webx instance=web-1", "default"),
    case("match_re anchored, second key", LEGACY, "service=api instance=web-12a", "default"),
    case("match + match_re + matchers", LEGACY, "team=billing env=prod", "mixed"),
    case("match_re prefix pattern", LEGACY, "team=billing env=production region=us-east-1", "mixed"),
    case("matchers != in a legacy route", LEGACY, "team=billing env=prod region=eu-west-1", "default"),
    case("match \"\" on a missing label", LEGACY, "team=ops", "legacy-empty"),
    case("match \"\" on a present label", LEGACY, "team=ops owner=bob", "default"),
    case("match_re whole value", LEGACY, "team=opsx", "default"),
    case("continue to the same receiver as the root", LEGACY, "audit=yes", "default,legacy-equal"),
    # Label arguments amtool refuses (exit code 1, nothing on stdout).
    case("refused: =~ argument", MATCHERS, ("team=~ml",), None),
    case("refused: != argument", MATCHERS, ("team!=ml",), None),
    case("refused: no operator", MATCHERS, ("team",), None),
    case("refused: invalid label name", MATCHERS, ("0bad=x",), None),
    case("refused: unterminated quote", MATCHERS, ('team="ml',), None),
    case("refused: unescaped quote inside", MATCHERS, ('summary=disk full, "sda" on host 1',), None),
]


def check_amtool_agrees_with_table(c: Case, answer) -> None:
    if c.receivers is None:
        assert answer.returncode != 0 and answer.stdout == "", f"case {c.name!r}: amtool accepted it\n{answer.describe()}"
    else:
        lines = answer.stdout.splitlines()
        assert answer.returncode == 0 and lines and lines[-1] == c.receivers, (
            f"case {c.name!r} no longer proves what it says: amtool does not route it to {c.receivers}\n{answer.describe()}")


@pytest.mark.parametrize("tree", [False, True], ids=["plain", "tree"])
@pytest.mark.parametrize("c", CASES, ids=[f"{c.fixture.removeprefix('routes-').removesuffix('.yml')}: {c.name}" for c in CASES])
def test_routes_test_prints_what_amtool_prints(c, tree):
    flags = [f"--config.file={c.fixture}"] + (["--tree"] if tree else [])
    expected = amtool("config", "routes", "test", *flags, *c.labels)
    check_amtool_agrees_with_table(c, expected)
    assert_same_output(expected, vigil_cli("routes", "test", *flags, *c.labels))


def test_the_table_is_large_and_covers_every_fixture():
    assert len([c for c in CASES if c.receivers is not None]) >= 40
    assert {c.fixture for c in CASES} == set(ROUTING_FIXTURES)


VERIFY = [
    # (name, fixture, --verify.receivers, labels, whether amtool finds them equal)
    ("one receiver", NESTED, "database", "service=mysql", True),
    ("several receivers in tree order", NESTED, "audit,frontend,audit,catch-all", "team=frontend audit=true", True),
    ("legacy config", LEGACY, "default,legacy-equal", "audit=yes", True),
    ("mismatch", NESTED, "database-pager", "service=mysql", False),
    ("same receivers, other order", NESTED, "database-oncall,database-pager", "service=mysql severity=critical", False),
    ("duplicates left out", NESTED, "audit,frontend,catch-all", "team=frontend audit=true", False),
]


@pytest.mark.parametrize("tree", [False, True], ids=["plain", "tree"])
@pytest.mark.parametrize("name,fixture,receivers,labels,matching", VERIFY, ids=[v[0] for v in VERIFY])
def test_verify_receivers_prints_and_exits_as_amtool(name, fixture, receivers, labels, matching, tree):
    flags = [f"--config.file={fixture}", f"--verify.receivers={receivers}"] + (["--tree"] if tree else [])
    expected = amtool("config", "routes", "test", *flags, *labels.split())
    assert (expected.returncode == 0) == matching, expected.describe()
    if not matching:
        assert "WARNING: Expected receivers did not match resolved receivers." in expected.stdout, expected.describe()
    assert_same_output(expected, vigil_cli("routes", "test", *flags, *labels.split()))


@pytest.mark.parametrize("fixture", ROUTING_FIXTURES)
def test_routes_show_prints_the_tree_as_amtool(fixture):
    expected = amtool("config", "routes", "show", f"--config.file={fixture}")
    assert expected.returncode == 0 and expected.stdout.startswith("Routing tree:"), expected.describe()
    assert_same_output(expected, vigil_cli("routes", "show", f"--config.file={fixture}"))


# --- check-config ----------------------------------------------------------------------------

def summary_lines(output: str) -> list[str]:
    """The lines Vigil claims parity on: `Checking '...'  SUCCESS`, `Found:` and the ` - ...` counts."""
    return [line for line in output.splitlines() if line.strip()]


@pytest.mark.parametrize("files", [[f] for f in ROUTING_FIXTURES] + [ROUTING_FIXTURES],
                         ids=[f.removesuffix(".yml") for f in ROUTING_FIXTURES] + ["all three"])
def test_check_config_summary_matches_amtool(files):
    expected = amtool("check-config", *files)
    assert expected.returncode == 0 and expected.stdout.count("SUCCESS") == len(files), expected.describe()
    got = vigil_cli("check-config", *files)
    assert (summary_lines(got.stdout), got.returncode) == (summary_lines(expected.stdout), 0), (
        f"== amtool\n{expected.describe()}\n== vigil\n{got.describe()}")


INVALID = {
    # file: words the reason must contain (case-insensitive); a tuple means any one of them
    "invalid-undefined-receiver.yml": ["nowhere-to-be-found", "receiver"],
    "invalid-bad-regex.yml": [("regex", "regexp", "regular expression"), ("unclosed-group", "service")],
    "invalid-bad-match-re.yml": [("regex", "regexp", "regular expression"), ("api-(unclosed", "service")],
    "invalid-unknown-key.yml": ["group_wiat"],
    "invalid-root-matchers.yml": ["root", "matcher"],
}


@pytest.mark.parametrize("file", INVALID)
def test_check_config_fails_naming_the_problem(file):
    expected = amtool("check-config", file)
    assert expected.returncode != 0 and f"Checking '{file}'  FAILED" in expected.stdout, expected.describe()
    got = vigil_cli("check-config", file)
    assert got.returncode == 1, got.describe()
    lines = got.stdout.splitlines()
    assert lines and lines[0].startswith(f"Checking '{file}'  FAILED"), got.describe()
    reason = got.stdout.split("FAILED", 1)[1].lower()
    for words in INVALID[file]:
        words = (words,) if isinstance(words, str) else words
        assert any(w.lower() in reason for w in words), f"the reason should mention {' or '.join(words)}\n{got.describe()}"


def test_check_config_fails_when_any_file_fails():
    files = [NESTED, "invalid-undefined-receiver.yml", LEGACY]
    expected = amtool("check-config", *files)
    assert expected.returncode == 1, expected.describe()
    got = vigil_cli("check-config", *files)
    assert got.returncode == 1, got.describe()
    valid_summaries = [summary_lines(amtool("check-config", f).stdout) for f in (NESTED, LEGACY)]
    got_lines = summary_lines(got.stdout)
    for summary in valid_summaries:
        assert summary[0] in got_lines, got.describe()
        start = got_lines.index(summary[0])
        assert got_lines[start:start + len(summary)] == summary, f"missing {summary}\n{got.describe()}"
    assert any(line.startswith("Checking 'invalid-undefined-receiver.yml'  FAILED") for line in got_lines), got.describe()


# --- A running Vigil routes and groups alerts as a running Alertmanager ----------------------

# Alerts beyond the table's label sets, so that group_by (inherited, overridden, '...', []) shows.
GROUPING_ALERTS = {
    NESTED: [
        {"service": "mysql", "severity": "critical", "cluster": "c1"},
        {"service": "mysql", "severity": "critical", "cluster": "c2", "instance": "db-2"},
        {"service": "postgres", "severity": "warning", "region": "eu-west", "cluster": "c1"},
        {"service": "postgres", "severity": "warning", "region": "eu-north", "cluster": "c1"},
        {"service": "mysql", "severity": "info", "cluster": "c3"},
        {"team": "frontend", "severity": "critical", "page": "checkout"},
        {"team": "frontend", "severity": "critical", "page": "cart"},
        {"team": "backend", "env": "dev", "instance": "a"},
        {"team": "backend", "env": "dev", "instance": "b"},
        {"team": "backend", "env": "prod"},
    ],
    MATCHERS: [{"team": "storage", "env": "staging", "cluster": "c1"}, {"team": "storage", "env": "prod"}],
    LEGACY: [{"team": "billing", "env": "prod", "cluster": "c1"}, {"team": "billing", "env": "prod", "cluster": "c2"}],
}


def alerts_for(fixture: str) -> list[dict]:
    """The table's valid label sets for `fixture` plus GROUPING_ALERTS, all named RoutingParity
    (the routes never look at alertname); label sets with an empty value are left out."""
    label_sets = [dict(parse_label_argument(a) for a in c.labels) for c in CASES
                  if c.fixture == fixture and c.receivers is not None and c.labels]
    label_sets += GROUPING_ALERTS[fixture]
    unique = {tuple(sorted(s.items())): s for s in label_sets if all(s.values())}
    return [{"labels": {"alertname": "RoutingParity", **s}, "annotations": {"case": "routing parity"}}
            for s in unique.values()]


def routing_view(url: str, expected_alerts: int) -> tuple[dict, list] | None:
    """(receivers by alert label set, groups as sorted tuples), or None while the server has not
    yet placed every alert in all the groups of its receivers."""
    alerts = requests.get(url + "/api/v2/alerts", timeout=10).json()
    groups = requests.get(url + "/api/v2/alerts/groups", timeout=10).json()
    receivers = {tuple(sorted(a["labels"].items())): [r["name"] for r in a["receivers"]] for a in alerts}
    grouped = sorted((g["receiver"]["name"], tuple(sorted(g["labels"].items())),
                      tuple(sorted(tuple(sorted(a["labels"].items())) for a in g["alerts"]))) for g in groups)
    placed = sum(len(g[2]) for g in grouped)
    if len(receivers) != expected_alerts or placed != sum(len(r) for r in receivers.values()):
        return None
    return receivers, grouped


@pytest.mark.parametrize("fixture", ROUTING_FIXTURES)
def test_posted_alerts_get_alertmanagers_receivers_and_groups(fixture, server_factory, tmp_path):
    alerts = alerts_for(fixture)
    vigil = server_factory.start(config_path=write_vigil_config(tmp_path / "vigil", (FIXTURES / fixture).read_text()))
    alertmanager = start_alertmanager(FIXTURES / fixture, tmp_path / "alertmanager")
    try:
        views = {}
        for name, url in (("alertmanager", alertmanager.url), ("vigil", vigil.api_url)):
            answer = requests.post(url + "/api/v2/alerts", json=alerts, timeout=10)
            assert answer.status_code == 200, f"{name}: POST /api/v2/alerts: HTTP {answer.status_code} {answer.text[:300]}"
            views[name] = eventually(lambda: routing_view(url, len(alerts)), 30, f"{name} to group {len(alerts)} alerts",
                                     lambda: alertmanager.log_text() if name == "alertmanager" else vigil.log_text())
        expected_receivers, expected_groups = views["alertmanager"]
        got_receivers, got_groups = views["vigil"]
        assert got_receivers == expected_receivers
        assert got_groups == expected_groups
        assert len({g[0] for g in expected_groups}) >= 3, "the fixture's alerts should reach several receivers"
    finally:
        alertmanager.stop()
