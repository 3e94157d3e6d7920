"""Rule state across restarts and leader changes, with real `vigil serve` processes on one
database: a pending alert keeps its `for` progress, a firing alert is not notified again, and
when the leading process dies another takes over within two evaluation intervals without a
duplicate notification."""

from __future__ import annotations

import time

from alerting_helpers import WebhookRecorder, eventually, now, parse_time
from rules_helpers import (WEBHOOK_ROUTE, firing_notifications, metric_value, rule_alerts, rules_api, send_spans,
                           write_config)

INTERVAL_S = 2
CHECK_S = 1
RULES = f"""
groups:
  - name: payments
    interval: {INTERVAL_S}s
    rules:
      - alert: PaymentErrors
        red:
          service: payments
          measure: error_ratio
          window: 10m
          by: [service]
          threshold: '> 10%'
      - alert: PaymentErrorsForAnHour
        red:
          service: payments
          measure: error_ratio
          window: 10m
          threshold: '> 10%'
        for: 1h
"""
# Resends every evaluation, so that the new leader sends within the test.
RULES_SECTION = f"rules:\n  leader_check_interval: {CHECK_S}s\n  resend_delay: 1s\n"


def last_evaluation(server):
    groups = rules_api(server, "/api/v1/rules")["data"]["groups"]
    return parse_time(groups[0]["lastEvaluation"])


def alerts_by_name(server) -> dict[str, dict]:
    return {a["labels"]["alertname"]: a for a in rule_alerts(server)}


def test_restart_keeps_for_progress_and_does_not_notify_again(server_factory, tmp_path):
    with WebhookRecorder() as recorder:
        config = write_config(tmp_path, {"payments.yaml": RULES}, WEBHOOK_ROUTE.format(url=recorder.url), RULES_SECTION)
        database = server_factory.new_database()
        server = server_factory.start(database, config_path=config)
        send_spans(server, "payments", "POST /pay", ok=1, errors=1)
        eventually(lambda: firing_notifications(recorder, "PaymentErrors"), 60, "the first notification", server.log_text)
        before = alerts_by_name(server)
        assert before["PaymentErrorsForAnHour"]["state"] == "pending"
        assert server.stop() == 0

        restarted = server_factory.start(database, config_path=config)
        # The restarted process leads and evaluates again: the pending alert keeps its activeAt.
        eventually(lambda: metric_value(restarted, "vigil_rules_leader") == 1, 30, "the lead", restarted.log_text)
        time.sleep(3 * INTERVAL_S)
        after = alerts_by_name(restarted)
        assert after["PaymentErrorsForAnHour"]["state"] == "pending"
        assert after["PaymentErrorsForAnHour"]["activeAt"] == before["PaymentErrorsForAnHour"]["activeAt"]
        assert after["PaymentErrors"]["activeAt"] == before["PaymentErrors"]["activeAt"]
        assert len(firing_notifications(recorder, "PaymentErrors")) == 1, [r.json for r in recorder.snapshot()]


def test_a_follower_takes_over_when_the_leader_dies(server_factory, tmp_path):
    with WebhookRecorder() as recorder:
        config = write_config(tmp_path, {"payments.yaml": RULES}, WEBHOOK_ROUTE.format(url=recorder.url), RULES_SECTION)
        database = server_factory.new_database()
        first = server_factory.start(database, config_path=config)
        second = server_factory.start(database, config_path=config)
        servers = [first, second]

        def leaders():
            return [s for s in servers if s.process.poll() is None and metric_value(s, "vigil_rules_leader") == 1]

        leader = eventually(lambda: leaders() if len(leaders()) == 1 else None, 30, "exactly one leader")[0]
        follower = second if leader is first else first
        assert metric_value(follower, "vigil_rules_leader") == 0

        send_spans(leader, "payments", "POST /pay", ok=1, errors=1)
        eventually(lambda: firing_notifications(recorder, "PaymentErrors"), 60, "the first notification", leader.log_text)
        # The follower mirrors the leader's saved state.
        eventually(lambda: "PaymentErrors" in alerts_by_name(follower), 30, "the follower's view", follower.log_text)
        pending_since = alerts_by_name(leader)["PaymentErrorsForAnHour"]["activeAt"]

        leader.kill()
        killed_at = now()
        started = time.monotonic()
        eventually(lambda: metric_value(follower, "vigil_rules_leader") == 1, 2 * INTERVAL_S + CHECK_S + 1,
                   "the follower taking the lead", follower.log_text)
        eventually(lambda: last_evaluation(follower) > killed_at, 2 * INTERVAL_S + CHECK_S + 1,
                   "an evaluation by the new leader", follower.log_text)
        # Within two evaluation intervals (and the time it takes to notice the lock is free).
        assert time.monotonic() - started <= 2 * INTERVAL_S + CHECK_S + 1
        # Several resend delays' worth of evaluations later, still one notification.
        time.sleep(4 * INTERVAL_S)
        assert alerts_by_name(follower)["PaymentErrorsForAnHour"]["activeAt"] == pending_since
        assert len(firing_notifications(recorder, "PaymentErrors")) == 1, [r.json for r in recorder.snapshot()]
