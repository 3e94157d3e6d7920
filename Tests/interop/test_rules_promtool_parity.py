"""Burn-rate parity with Prometheus: the same synthetic good/total counters go to a real
`promtool test rules` (Debian prometheus 2.42) running the SRE Workbook's multi-window,
multi-burn-rate rules written in PromQL, and to `vigil rules test` running one Vigil SLO over the
same counters. One list of expected alerts, computed here with exact fractions from the
counters, must hold for both tools at every 30 minutes of four days: so the same alerts fire and
resolve at the same evaluation times."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from alerting_helpers import run, tool, vigil_cli

STEP_MIN = 5                      # sample spacing and evaluation interval
STEPS = 4 * 24 * 60 // STEP_MIN   # four days
REQUESTS = 997                    # per step (a prime: no burn rate lands exactly on a threshold)
BUDGET = Fraction(1, 1000)        # objective 99.9
# (severity, long window, short window, burn-rate threshold) for a 30-day period.
WINDOWS = [("page", 60, 5, Fraction(72, 5)), ("page", 360, 30, Fraction(6)),
           ("ticket", 1440, 120, Fraction(3)), ("ticket", 4320, 360, Fraction(1))]
LABEL = {5: "5m", 30: "30m", 60: "1h", 120: "2h", 360: "6h", 1440: "1d", 4320: "3d"}


def failures(step: int) -> int:
    """Failed requests in the step ending at `step`: 0.05% normally, a 3% spike for two hours
    (pages), then a day at 0.4% (tickets), then normal again."""
    hour = step * STEP_MIN / 60
    if 12 <= hour < 14:
        return 30
    if 30 <= hour < 54:
        return 4
    return 0 if step % 2 else 1


BAD = [0]
for i in range(1, STEPS + 1):
    BAD.append(BAD[-1] + failures(i))
TOTAL = [REQUESTS * i for i in range(STEPS + 1)]


def burn(step: int, window_min: int) -> Fraction | None:
    """Burn rate over the window ending at `step`: the counters' increase from the sample at the
    window's start (or the first sample) to `step`, bad / total / budget."""
    start = max(step - window_min // STEP_MIN, 0)
    total = TOTAL[step] - TOTAL[start]
    return None if total == 0 else Fraction(BAD[step] - BAD[start], total) / BUDGET


def firing(step: int) -> list[tuple[str, str]]:
    result = []
    for severity, long, short, threshold in WINDOWS:
        rates = [burn(step, long), burn(step, short)]
        for rate in rates:
            # The data stays clear of the thresholds, so float rounding cannot tip a comparison.
            assert rate is None or abs(rate - threshold) > Fraction(1, 1000), (step, long, rate)
        if all(rate is not None and rate > threshold for rate in rates):
            result.append((severity, LABEL[long]))
    return result


def values(counter: list[int]) -> str:
    return " ".join(str(v) for v in counter)


PROMQL_RULES = "groups:\n  - name: checkout-slo\n    interval: 5m\n    rules:\n" + "".join(
    f"      - record: checkout:sli_error:ratio_rate{LABEL[w]}\n"
    f"        expr: 1 - sum(rate(checkout_good_total[{LABEL[w]}])) / sum(rate(checkout_requests_total[{LABEL[w]}]))\n"
    for w in sorted(LABEL)) + "".join(
    f"      - alert: ErrorBudgetBurn\n"
    f"        expr: checkout:sli_error:ratio_rate{LABEL[long]} > ({float(threshold)} * 0.001) and "
    f"checkout:sli_error:ratio_rate{LABEL[short]} > ({float(threshold)} * 0.001)\n"
    f"        labels: {{slo: checkout-availability, service: checkout, severity: {severity}, window: {LABEL[long]}}}\n"
    for severity, long, short, threshold in WINDOWS)

VIGIL_RULES = """groups:
  - name: checkout-slo
    interval: 5m
    rules:
      - slo:
          name: checkout-availability
          service: checkout
          objective: 99.9
          sli:
            metric:
              good: {name: checkout_good_total}
              total: {name: checkout_requests_total}
"""


def make_test_file(rule_file: str, typed: bool, expected: dict[int, list]) -> str:
    kind = "\n        type: counter" if typed else ""
    good = [t - b for t, b in zip(TOTAL, BAD)]
    lines = [f"rule_files: [{rule_file}]", f"evaluation_interval: {STEP_MIN}m", "tests:", f"  - interval: {STEP_MIN}m",
             "    input_series:",
             f"      - series: 'checkout_requests_total{{service=\"checkout\"}}'{kind}\n        values: '{values(TOTAL)}'",
             f"      - series: 'checkout_good_total{{service=\"checkout\"}}'{kind}\n        values: '{values(good)}'",
             "    alert_rule_test:"]
    for step, alerts in expected.items():
        lines.append(f"      - eval_time: {step * STEP_MIN}m\n        alertname: ErrorBudgetBurn\n        exp_alerts:"
                     + ("" if alerts else " []"))
        for severity, window in alerts:
            lines.append(f"          - exp_labels: {{slo: checkout-availability, service: checkout, severity: {severity}, window: {window}}}")
    return "\n".join(lines) + "\n"


def test_vigil_and_promtool_fire_and_resolve_the_same_burn_rate_alerts(tmp_path: Path):
    expected = {step: firing(step) for step in range(0, STEPS + 1, 30 // STEP_MIN)}
    # The data must exercise every window: each alert fires at some point and is resolved later.
    for severity, long, _, _ in WINDOWS:
        steps = [step for step, alerts in expected.items() if (severity, LABEL[long]) in alerts]
        assert steps and steps[-1] < STEPS, f"{severity}/{LABEL[long]} never fires or never resolves: {steps}"

    (tmp_path / "promql.rules.yaml").write_text(PROMQL_RULES)
    (tmp_path / "vigil.rules.yaml").write_text(VIGIL_RULES)
    (tmp_path / "promtool.test.yaml").write_text(make_test_file("promql.rules.yaml", False, expected))
    (tmp_path / "vigil.test.yaml").write_text(make_test_file("vigil.rules.yaml", True, expected))

    promtool = run([tool("promtool"), "test", "rules", "promtool.test.yaml"], cwd=tmp_path)
    assert promtool.returncode == 0, promtool.describe()
    vigil = vigil_cli("rules", "test", "vigil.test.yaml", cwd=tmp_path)
    assert vigil.returncode == 0, vigil.describe()


def test_a_wrong_expectation_fails_both_tools(tmp_path: Path):
    """The comparison can fail: one alert expected an evaluation too early fails both runs."""
    expected = {step: firing(step) for step in range(0, STEPS + 1, 30 // STEP_MIN)}
    first = next(step for step, alerts in expected.items() if alerts)
    expected[first - 30 // STEP_MIN] = expected[first]
    (tmp_path / "promql.rules.yaml").write_text(PROMQL_RULES)
    (tmp_path / "vigil.rules.yaml").write_text(VIGIL_RULES)
    (tmp_path / "promtool.test.yaml").write_text(make_test_file("promql.rules.yaml", False, expected))
    (tmp_path / "vigil.test.yaml").write_text(make_test_file("vigil.rules.yaml", True, expected))
    assert run([tool("promtool"), "test", "rules", "promtool.test.yaml"], cwd=tmp_path).returncode == 1
    failed = vigil_cli("rules", "test", "vigil.test.yaml", cwd=tmp_path)
    assert failed.returncode == 1 and "ErrorBudgetBurn" in failed.stdout + failed.stderr, failed.describe()
