"""Alerting state across a restart of `vigil serve` on the same database: alerts, silences and the
notification log survive, so nothing is lost and nothing is notified twice. Also the alert history
(GET /api/v1/alerts/history) and the notification counters on GET /metrics."""

from __future__ import annotations

import signal
from datetime import timedelta

import requests

from alerting_helpers import WebhookRecorder, eventually, now, rfc3339, write_vigil_config

CONFIG = """
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: {url}/hook
"""


def post_alert(server, **labels: str) -> None:
    body = [{"labels": {"alertname": "Restarted", **labels}, "annotations": {"summary": "restart test"},
             "startsAt": rfc3339(now() - timedelta(minutes=1)), "endsAt": rfc3339(now() + timedelta(hours=1))}]
    answer = requests.post(server.api_url + "/api/v2/alerts", json=body, timeout=10)
    assert answer.status_code == 200, answer.text


def instances(received) -> list[list[str]]:
    return [sorted(a["labels"]["instance"] for a in r.json["alerts"]) for r in received]


def test_restart_keeps_alerts_silences_and_the_notification_log(server_factory, tmp_path):
    with WebhookRecorder() as recorder:
        vigil_yaml = write_vigil_config(tmp_path / "vigil", CONFIG.format(url=recorder.url))
        database = server_factory.new_database()
        server = server_factory.start(database, config_path=vigil_yaml)

        post_alert(server, instance="a")
        eventually(lambda: len(recorder.snapshot()) >= 1, 30, "the first notification", server.log_text)
        silence = {"matchers": [{"name": "instance", "value": "muted", "isRegex": False, "isEqual": True}],
                   "startsAt": rfc3339(now()), "endsAt": rfc3339(now() + timedelta(hours=2)),
                   "createdBy": "interop", "comment": "kept across restarts"}
        answer = requests.post(server.api_url + "/api/v2/silences", json=silence, timeout=10)
        assert answer.status_code == 200, answer.text
        silence_id = answer.json()["silenceID"]
        assert server.stop() == 0

        restarted = server_factory.start(database, config_path=vigil_yaml)
        alerts = requests.get(restarted.api_url + "/api/v2/alerts", timeout=10).json()
        assert [a["labels"]["instance"] for a in alerts] == ["a"]
        kept = requests.get(f"{restarted.api_url}/api/v2/silence/{silence_id}", timeout=10)
        assert kept.status_code == 200 and kept.json()["status"]["state"] == "active", kept.text

        # A new alert in the same group is notified together with the old one. Had the restart
        # re-sent the old alert, a notification with only "a" would come before it.
        post_alert(restarted, instance="b")
        post_alert(restarted, instance="muted")
        eventually(lambda: any("b" in i for i in instances(recorder.snapshot())), 30, "the notification of b",
                   restarted.log_text)
        assert instances(recorder.snapshot()) == [["a"], ["a", "b"]]

        history = requests.get(restarted.api_url + "/api/v1/alerts/history", params={"filter": 'alertname="Restarted"'},
                               timeout=10)
        assert history.status_code == 200, history.text
        entries = history.json()["entries"]
        states = sorted(e["labels"]["instance"] for e in entries if e["kind"] == "state" and e["state"] == "firing")
        assert states == ["a", "b", "muted"]
        sent = [e for e in entries if e["kind"] == "notification"]
        assert len(sent) == 2
        assert all(e["receiver"] == "hook" and e["integration"] == "webhook/0" and e["outcome"] == "success"
                   and e["attempts"] == 1 for e in sent)

        metrics = requests.get(restarted.api_url + "/metrics", timeout=10).text
        assert 'vigil_alerting_notifications_total{integration="webhook"} 1' in metrics, metrics
        assert 'vigil_alerting_alerts_received_total{status="firing"} 2' in metrics, metrics


def test_failed_notifications_are_retried_counted_and_kept_in_the_history(server_factory, tmp_path):
    # Nothing listens on the receiver's port: every attempt fails with a connection error.
    with WebhookRecorder() as recorder:
        url = recorder.url
    vigil_yaml = write_vigil_config(tmp_path / "vigil", CONFIG.format(url=url).replace("group_interval: 1s", "group_interval: 3s"))
    server = server_factory.start(config_path=vigil_yaml)
    post_alert(server, instance="x")

    def failure():
        entries = requests.get(server.api_url + "/api/v1/alerts/history", timeout=10).json()["entries"]
        return next((e for e in entries if e["kind"] == "notification"), None)
    entry = eventually(failure, 30, "a failed notification in the history", server.log_text)
    assert entry["outcome"] == "failure" and entry["attempts"] > 1, entry
    assert entry["error"], entry
    metrics = requests.get(server.api_url + "/metrics", timeout=10).text
    assert 'vigil_alerting_notifications_failed_total{integration="webhook"}' in metrics, metrics


def test_ingest_is_counted_on_metrics(server_factory):
    server = server_factory.start()
    answer = server.post("/v1/traces", b"not protobuf")
    assert answer.status_code == 400
    metrics = requests.get(server.api_url + "/metrics", timeout=10).text
    assert 'vigil_otlp_requests_total{signal="traces",outcome="invalid"} 1' in metrics, metrics


def test_sighup_reloads_the_configuration_and_keeps_alerts_and_silences(server_factory, tmp_path):
    with WebhookRecorder() as recorder:
        vigil_yaml = write_vigil_config(tmp_path / "vigil", CONFIG.format(url=recorder.url))
        server = server_factory.start(config_path=vigil_yaml)
        post_alert(server, instance="kept")
        silence = {"matchers": [{"name": "instance", "value": "kept", "isRegex": False, "isEqual": True}],
                   "startsAt": rfc3339(now()), "endsAt": rfc3339(now() + timedelta(hours=1)),
                   "createdBy": "interop", "comment": "survives a reload"}
        silence_id = requests.post(server.api_url + "/api/v2/silences", json=silence, timeout=10).json()["silenceID"]

        (vigil_yaml.parent / "alertmanager.yml").write_text(CONFIG.format(url=recorder.url) + "  - name: added\n")
        server.process.send_signal(signal.SIGHUP)
        eventually(lambda: {"name": "added"} in requests.get(server.api_url + "/api/v2/receivers", timeout=10).json(),
                   30, "the receiver added by the reload", server.log_text)
        alerts = requests.get(server.api_url + "/api/v2/alerts", timeout=10).json()
        assert [(a["labels"]["instance"], a["status"]["silencedBy"]) for a in alerts] == [("kept", [silence_id])]

        # A broken file is refused; the running configuration stays.
        (vigil_yaml.parent / "alertmanager.yml").write_text("route:\n  receiver: nowhere\nreceivers:\n  - name: hook\n")
        server.process.send_signal(signal.SIGHUP)
        eventually(lambda: "reload failed" in server.log_text(), 30, "the failed reload in the log", server.log_text)
        assert {"name": "added"} in requests.get(server.api_url + "/api/v2/receivers", timeout=10).json()
        assert server.process.poll() is None
