"""Rules evaluated by `vigil serve` against what it stored: a RED rule fires with evidence trace
IDs, its notification goes through the routing pipeline, the history keeps the evidence, the
rules API answers as Prometheus's, and reloads apply or refuse rule files as a whole."""

from __future__ import annotations

import signal

import requests

from alerting_helpers import WebhookRecorder, eventually, vigil_cli
from rules_helpers import (WEBHOOK_ROUTE, firing_notifications, rule_alerts, rules_api, rules_by_name, send_spans,
                           write_config)

ERROR_RULE = """
groups:
  - name: payments
    interval: 1s
    labels:
      team: payments
    rules:
      - alert: PaymentErrors
        red:
          service: payments
          measure: error_ratio
          window: 5m
          by: [service]
          threshold: '> 10%'
        labels:
          severity: page
        annotations:
          summary: '{{ $labels.service }} fails {{ $value | humanizePercentage }} of requests'
"""


def test_red_rule_fires_with_evidence_through_the_pipeline(server_factory, tmp_path):
    with WebhookRecorder() as recorder:
        config = write_config(tmp_path, {"payments.yaml": ERROR_RULE}, WEBHOOK_ROUTE.format(url=recorder.url))
        server = server_factory.start(config_path=config)
        failed = send_spans(server, "payments", "POST /pay", ok=6, errors=4)

        notification = eventually(lambda: firing_notifications(recorder, "PaymentErrors"), 60,
                                  "the PaymentErrors notification", server.log_text)[0]
        alert = notification.json["alerts"][0]
        assert alert["labels"] == {"alertname": "PaymentErrors", "service": "payments", "severity": "page", "team": "payments"}
        # 4 failed of 10 spans: 40%.
        assert alert["annotations"]["summary"] == "payments fails 40% of requests"
        evidence = alert["annotations"]["trace_ids"].split(",")
        assert 1 <= len(evidence) <= 5 and set(evidence) <= set(failed), (evidence, failed)
        assert alert["generatorURL"].startswith("http://vigil.example:8080/api/v1/traces?")
        assert "service=payments" in alert["generatorURL"] and "status=error" in alert["generatorURL"]

        listed = rule_alerts(server)
        assert [a["labels"]["alertname"] for a in listed] == ["PaymentErrors"]
        assert listed[0]["state"] == "firing" and listed[0]["value"] == "4e-01"

        rule = rules_by_name(server)["PaymentErrors/"]
        assert rule["type"] == "alerting" and rule["kind"] == "red" and rule["health"] == "ok" and rule["state"] == "firing"
        assert rule["query"] == "red error_ratio{service=\"payments\"}[5m] by (service) > 10%"

        history = rules_api(server, "/api/v1/alerts/history", filter='alertname="PaymentErrors"')
        firing = [entry for entry in history["entries"] if entry["kind"] == "state" and entry["state"] == "firing"]
        assert firing and firing[0]["annotations"]["trace_ids"] == alert["annotations"]["trace_ids"], history


def test_rules_api_filters_and_refuses_bad_parameters(server_factory, tmp_path):
    config = write_config(tmp_path, {"payments.yaml": ERROR_RULE}, WEBHOOK_ROUTE.format(url="http://127.0.0.1:9"))
    server = server_factory.start(config_path=config)
    assert [g["name"] for g in rules_api(server, "/api/v1/rules", **{"rule_group[]": "payments"})["data"]["groups"]] == ["payments"]
    assert rules_api(server, "/api/v1/rules", **{"rule_group[]": "other"})["data"]["groups"] == []
    assert rules_api(server, "/api/v1/rules", type="record")["data"]["groups"] == []
    answer = requests.get(server.api_url + "/api/v1/rules", params={"type": "recording"}, timeout=10)
    assert answer.status_code == 400 and "type" in answer.json()["error"]["message"]


def test_reload_applies_rule_files_as_a_whole(server_factory, tmp_path):
    config = write_config(tmp_path, {"payments.yaml": ERROR_RULE}, WEBHOOK_ROUTE.format(url="http://127.0.0.1:9"))
    server = server_factory.start(config_path=config)
    assert list(rules_by_name(server)) == ["PaymentErrors/"]

    (tmp_path / "rules" / "latency.yaml").write_text(ERROR_RULE.replace("payments", "checkout").replace("PaymentErrors", "CheckoutErrors"))
    server.process.send_signal(signal.SIGHUP)
    eventually(lambda: set(rules_by_name(server)) == {"PaymentErrors/", "CheckoutErrors/"}, 30, "the added rule", server.log_text)

    (tmp_path / "rules" / "broken.yaml").write_text("groups:\n  - name: broken\n    rules:\n      - alert: X\n        red: {measure: rate, threshold: '> five'}\n")
    answer = requests.post(server.api_url + "/-/reload", timeout=10)
    assert answer.status_code == 500 and "broken.yaml:5" in answer.text, answer.text
    assert set(rules_by_name(server)) == {"PaymentErrors/", "CheckoutErrors/"}


def test_rules_check_reports_each_file(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(ERROR_RULE)
    bad = tmp_path / "bad.yaml"
    bad.write_text("groups:\n  - name: g\n    rules:\n      - alert: X\n        red: {measure: rate, threshold: '5'}\n")
    run = vigil_cli("rules", "check", str(good), str(bad))
    assert run.returncode == 1, run.describe()
    lines = run.stdout.splitlines()
    assert lines[0] == f"{good}: 1 group, 1 rule"
    assert lines[1].startswith(f"{bad}:5: groups[0].rules[0].red.threshold:"), run.describe()
    assert vigil_cli("rules", "check", str(good)).returncode == 0
