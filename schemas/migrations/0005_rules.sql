-- Rule evaluation: the alert state of every rule (so that restarts and leader changes keep
-- `for` timers and do not re-fire resolved alerts), and the evidence of alert state changes.

CREATE TABLE rule_alert_state (
    file               text NOT NULL,
    group_name         text NOT NULL,
    unit_key           text NOT NULL,
    alerts             jsonb NOT NULL,
    health             text NOT NULL CHECK (health IN ('unknown', 'ok', 'err')),
    last_error         text,
    last_evaluation    timestamptz,
    evaluation_seconds double precision NOT NULL DEFAULT 0,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (file, group_name, unit_key)
);
COMMENT ON TABLE rule_alert_state IS 'Alerts of each alerting rule (one row per rule, one per burn-rate window of an SLO), written after every evaluation by the leading vigil process.';
COMMENT ON COLUMN rule_alert_state.file IS 'Rule file path as listed by rule_files.';
COMMENT ON COLUMN rule_alert_state.group_name IS 'Rule group name.';
COMMENT ON COLUMN rule_alert_state.unit_key IS '<rule index>:<alertname> for plain rules, <rule index>:<alertname>:<severity>:<window> for SLO windows.';
COMMENT ON COLUMN rule_alert_state.alerts IS 'Pending, firing and recently resolved alerts: labels, annotations, state, value, activeAt, firedAt, resolvedAt, lastSentAt, evidence.';
COMMENT ON COLUMN rule_alert_state.health IS 'Outcome of the latest evaluation: ok, err, or unknown before the first.';
COMMENT ON COLUMN rule_alert_state.last_error IS 'Why the latest evaluation failed.';
COMMENT ON COLUMN rule_alert_state.last_evaluation IS 'Evaluation time of the latest evaluation.';
COMMENT ON COLUMN rule_alert_state.evaluation_seconds IS 'How long the latest evaluation took.';
COMMENT ON COLUMN rule_alert_state.updated_at IS 'When the row was last written.';

ALTER TABLE alerting_history ADD COLUMN annotations jsonb;
COMMENT ON COLUMN alerting_history.annotations IS 'Alert annotations at the state change (state rows), including the evidence trace IDs (trace_ids) of rule alerts.';
