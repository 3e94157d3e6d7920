-- The Alertmanager-compatible alerting pipeline: alerts, silences, the notification log and
-- the alert history survive restarts here.

CREATE TABLE alerting_alerts (
    fingerprint   text PRIMARY KEY,
    labels        jsonb NOT NULL,
    annotations   jsonb NOT NULL,
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    generator_url text NOT NULL,
    updated_at    timestamptz NOT NULL,
    timeout       boolean NOT NULL
);
COMMENT ON TABLE alerting_alerts IS 'Alerts received on POST /api/v2/alerts (and from Vigil''s rules), one row per label set; resolved alerts are kept for alerting.retention.';
COMMENT ON COLUMN alerting_alerts.fingerprint IS 'Alertmanager fingerprint of the labels: FNV-1a 64 as 16 hex digits.';
COMMENT ON COLUMN alerting_alerts.labels IS 'Label names to values (JSON object).';
COMMENT ON COLUMN alerting_alerts.annotations IS 'Annotation names to values (JSON object).';
COMMENT ON COLUMN alerting_alerts.starts_at IS 'When the alert started firing.';
COMMENT ON COLUMN alerting_alerts.ends_at IS 'When the alert ends (or ended); in the future while it fires.';
COMMENT ON COLUMN alerting_alerts.generator_url IS 'Link to what produced the alert.';
COMMENT ON COLUMN alerting_alerts.updated_at IS 'When the alert was last received.';
COMMENT ON COLUMN alerting_alerts.timeout IS 'ends_at was set from resolve_timeout, not by the sender.';

CREATE TABLE alerting_silences (
    id         text PRIMARY KEY,
    matchers   jsonb NOT NULL,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    created_by text NOT NULL,
    comment    text NOT NULL
);
COMMENT ON TABLE alerting_silences IS 'Silences; expired ones are kept for alerting.retention.';
COMMENT ON COLUMN alerting_silences.id IS 'Silence ID (UUID).';
COMMENT ON COLUMN alerting_silences.matchers IS 'List of {name, value, isRegex, isEqual}, as in the Alertmanager API.';
COMMENT ON COLUMN alerting_silences.starts_at IS 'Start of the silence.';
COMMENT ON COLUMN alerting_silences.ends_at IS 'End of the silence; in the past once expired.';
COMMENT ON COLUMN alerting_silences.updated_at IS 'Last change.';
COMMENT ON COLUMN alerting_silences.created_by IS 'Author.';
COMMENT ON COLUMN alerting_silences.comment IS 'Why the silence exists.';

CREATE TABLE alerting_notification_log (
    group_key    text NOT NULL,
    receiver     text NOT NULL,
    integration  text NOT NULL,
    idx          integer NOT NULL,
    firing       text[] NOT NULL,
    resolved     text[] NOT NULL,
    sent_at      timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (group_key, receiver, integration, idx)
);
COMMENT ON TABLE alerting_notification_log IS 'Last successful notification per group and receiver integration; decides whether the next flush sends again (Alertmanager''s nflog).';
COMMENT ON COLUMN alerting_notification_log.group_key IS 'Route key and group labels, as notifications carry them in groupKey.';
COMMENT ON COLUMN alerting_notification_log.receiver IS 'Receiver name.';
COMMENT ON COLUMN alerting_notification_log.integration IS 'Integration kind: webhook, slack or alertmanager.';
COMMENT ON COLUMN alerting_notification_log.idx IS 'Position of the integration among the receiver''s configs of that kind.';
COMMENT ON COLUMN alerting_notification_log.firing IS 'Fingerprints of the firing alerts notified.';
COMMENT ON COLUMN alerting_notification_log.resolved IS 'Fingerprints of the resolved alerts notified.';
COMMENT ON COLUMN alerting_notification_log.sent_at IS 'When the notification succeeded.';
COMMENT ON COLUMN alerting_notification_log.expires_at IS 'When the entry is forgotten.';

CREATE TABLE alerting_history (
    id           bigserial PRIMARY KEY,
    time         timestamptz NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('state', 'notification')),
    fingerprint  text,
    labels       jsonb NOT NULL,
    state        text,
    receiver     text,
    integration  text,
    group_key    text,
    outcome      text,
    attempts     integer,
    error        text
);
CREATE INDEX alerting_history_time_idx ON alerting_history (time);
COMMENT ON TABLE alerting_history IS 'Every alert state change and every notification attempt, for GET /api/v1/alerts/history; kept for alerting.retention.';
COMMENT ON COLUMN alerting_history.id IS 'Insertion order, breaking ties between rows of the same time.';
COMMENT ON COLUMN alerting_history.time IS 'When it happened.';
COMMENT ON COLUMN alerting_history.kind IS 'state: an alert started firing or resolved; notification: a send to a receiver integration.';
COMMENT ON COLUMN alerting_history.fingerprint IS 'Alert fingerprint (state rows).';
COMMENT ON COLUMN alerting_history.labels IS 'Alert labels (state rows) or group labels (notification rows).';
COMMENT ON COLUMN alerting_history.state IS 'firing or resolved (state rows); the notification status, firing or resolved (notification rows).';
COMMENT ON COLUMN alerting_history.receiver IS 'Receiver name (notification rows).';
COMMENT ON COLUMN alerting_history.integration IS 'Integration kind and index, e.g. webhook/0 (notification rows).';
COMMENT ON COLUMN alerting_history.group_key IS 'Group key (notification rows).';
COMMENT ON COLUMN alerting_history.outcome IS 'success or failure (notification rows).';
COMMENT ON COLUMN alerting_history.attempts IS 'Send attempts made, retries included (notification rows).';
COMMENT ON COLUMN alerting_history.error IS 'Last error of a failed notification.';
