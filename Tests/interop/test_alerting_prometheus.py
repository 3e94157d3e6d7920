"""A real Prometheus evaluates an always-firing rule (alerting/prometheus-rules.yml) every second and
sends the alert to Vigil as its Alertmanager (API v2); Vigil, with group_wait and group_interval of
1 s, calls the test's webhook receiver with Alertmanager's version 4 payload. The same Prometheus
also sends to a real Alertmanager with the same alertmanager.yml, whose webhook call is the reference.

Prometheus 2.42 POSTs a JSON array to /api/v2/alerts (Content-Type application/json) with labels
(external labels added), annotations, startsAt, an endsAt a few resend intervals ahead and a
generatorURL under its --web.external-url; it only needs a 2xx answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import unquote_plus

import pytest
import requests

from alerting_helpers import (
    EXTERNAL_URL, FIXTURES, ToolProcess, WebhookRecorder, eventually, fixture_text, now, parse_time, start_alertmanager,
    start_prometheus, write_vigil_config)
from vigil_server import VigilServer

ALERTNAME = "VigilInteropAlwaysFiring"
EXTERNAL_LABELS = {"prometheus": "interop"}
RULE_LABELS = {"severity": "page", "team": "interop"}
RULE_ANNOTATIONS = {"summary": "always firing (value 1)", "runbook": "https://runbooks.example/always-firing"}
DELIVERY_TIMEOUT_S = 60.0  # Prometheus discovers its Alertmanagers within ~5 s; then 1 s of group_wait


@dataclass
class Pipeline:
    prometheus: ToolProcess
    vigil: VigilServer
    alertmanager: ToolProcess
    recorder: WebhookRecorder
    started: datetime  # when Prometheus was started

    def logs(self) -> str:
        return (f"--- prometheus log\n{self.prometheus.log_text()}\n--- vigil log\n{self.vigil.log_text()}\n"
                f"--- alertmanager log\n{self.alertmanager.log_text()}")

    def notification(self, prefix: str) -> dict:
        """The first firing notification of ALERTNAME the receiver `hook` got under `prefix`."""
        def firing(r) -> bool:
            return (r.path == f"{prefix}/hook" and isinstance(r.json, dict) and r.json.get("status") == "firing"
                    and any(a.get("labels", {}).get("alertname") == ALERTNAME for a in r.json.get("alerts", [])))
        received = self.recorder.wait_for(firing, DELIVERY_TIMEOUT_S)
        if received is None:
            paths = [r.path for r in self.recorder.snapshot()]
            pytest.fail(f"no firing notification of {ALERTNAME} reached {prefix}/hook within {DELIVERY_TIMEOUT_S:.0f} s "
                        f"(requests received: {paths})\n{self.logs()}", pytrace=False)
        assert received.headers.get("Content-Type", "").startswith("application/json"), received.headers
        return received.json


@pytest.fixture(scope="module")
def pipeline(module_server_factory, tmp_path_factory):
    directory = tmp_path_factory.mktemp("alerting-prometheus")
    with WebhookRecorder() as recorder:
        vigil_yaml = write_vigil_config(directory / "vigil", fixture_text("webhook.yml", WEBHOOK_URL=recorder.url + "/vigil"))
        alertmanager_yml = directory / "alertmanager.yml"
        alertmanager_yml.write_text(fixture_text("webhook.yml", WEBHOOK_URL=recorder.url + "/alertmanager"))
        vigil = module_server_factory.start(config_path=vigil_yaml)
        alertmanager = start_alertmanager(alertmanager_yml, directory / "alertmanager")
        try:
            started = now()
            prometheus = start_prometheus(directory / "prometheus", FIXTURES / "prometheus-rules.yml",
                                          [f"127.0.0.1:{vigil.api_port}", f"127.0.0.1:{alertmanager.port}"], EXTERNAL_LABELS)
            try:
                yield Pipeline(prometheus, vigil, alertmanager, recorder, started)
            finally:
                prometheus.stop()
        finally:
            alertmanager.stop()


def test_prometheus_alert_reaches_the_webhook(pipeline):
    payload = pipeline.notification("/vigil")
    labels = {"alertname": ALERTNAME, **RULE_LABELS, **EXTERNAL_LABELS}
    assert payload["version"] == "4"
    assert payload["receiver"] == "hook"
    assert payload["status"] == "firing"
    assert payload["groupLabels"] == {"alertname": ALERTNAME, "team": "interop"}  # group_by: [alertname, team]
    assert payload["commonLabels"] == labels
    assert payload["commonAnnotations"] == RULE_ANNOTATIONS
    assert payload["externalURL"] == EXTERNAL_URL
    assert isinstance(payload["groupKey"], str) and payload["groupKey"]
    assert payload["truncatedAlerts"] == 0
    assert len(payload["alerts"]) == 1, payload["alerts"]
    alert = payload["alerts"][0]
    assert alert["status"] == "firing"
    assert alert["labels"] == labels and alert["annotations"] == RULE_ANNOTATIONS
    generator = alert["generatorURL"]
    assert generator.startswith(f"{pipeline.prometheus.url}/graph?g0.expr="), generator
    assert "vector(1) > 0" in unquote_plus(generator), generator
    starts = parse_time(alert["startsAt"])
    assert pipeline.started - timedelta(seconds=5) <= starts <= now(), alert["startsAt"]
    assert isinstance(alert["fingerprint"], str) and alert["fingerprint"]


def test_vigil_api_shows_the_alert_prometheus_sent(pipeline):
    pipeline.notification("/vigil")
    answer = requests.get(pipeline.vigil.api_url + "/api/v2/alerts", params={"filter": f'alertname="{ALERTNAME}"'}, timeout=10)
    assert answer.status_code == 200, answer.text[:300]
    alerts = answer.json()
    assert len(alerts) == 1, alerts
    alert = alerts[0]
    assert alert["labels"] == {"alertname": ALERTNAME, **RULE_LABELS, **EXTERNAL_LABELS}
    assert alert["status"]["state"] == "active" and alert["receivers"] == [{"name": "hook"}]
    assert alert["generatorURL"].startswith(pipeline.prometheus.url + "/graph?g0.expr=")
    assert parse_time(alert["endsAt"]) > now(), "Prometheus sends an endsAt ahead, renewed while the alert fires"


def test_payload_matches_alertmanagers(pipeline):
    got, expected = pipeline.notification("/vigil"), pipeline.notification("/alertmanager")
    assert set(got) == set(expected)
    for key in ("version", "receiver", "status", "groupLabels", "commonLabels", "commonAnnotations", "externalURL",
                "truncatedAlerts"):
        assert got[key] == expected[key], key
    assert len(got["alerts"]) == len(expected["alerts"]) == 1
    alert, reference = got["alerts"][0], expected["alerts"][0]
    assert set(alert) == set(reference)
    for key in ("status", "labels", "annotations", "generatorURL"):
        assert alert[key] == reference[key], key
    for key in ("startsAt", "endsAt"):  # the same instants, whatever the number of fraction digits
        assert parse_time(alert[key]) == parse_time(reference[key]), (key, alert[key], reference[key])


def notification_counters(prometheus: ToolProcess, target: str) -> dict[str, float]:
    text = requests.get(prometheus.url + "/metrics", timeout=10).text
    counters = {}
    for name in ("sent", "errors"):
        match = re.search(rf'^prometheus_notifications_{name}_total{{alertmanager="{re.escape(target)}"}} (\S+)$', text, re.M)
        counters[name] = float(match.group(1)) if match else 0.0
    return counters


def test_prometheus_counts_no_notification_errors_for_vigil(pipeline):
    """Vigil answers Prometheus' POSTs with a 2xx status."""
    pipeline.notification("/vigil")
    target = f"http://127.0.0.1:{pipeline.vigil.api_port}/api/v2/alerts"
    counters = eventually(lambda: (c := notification_counters(pipeline.prometheus, target))["sent"] > 0 and c, 30,
                          f"Prometheus to count alerts sent to {target}", pipeline.logs)
    assert counters["errors"] == 0, f"{counters}\n{pipeline.logs()}"
