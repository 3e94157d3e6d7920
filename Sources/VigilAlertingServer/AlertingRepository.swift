import Foundation
import VigilAlerting
import VigilStorage

/// Reads and writes the alerting tables of `schemas/migrations/0004_alerting.sql`. Every call
/// runs on the read pool's threads, never on the concurrency pool.
struct AlertingRepository: Sendable {
    let pool: PostgresReadPool

    struct Snapshot: Sendable {
        var alerts: [Alert]
        var silences: [Silence]
        var log: NotificationLog
    }

    /// The notification log alone: what another process sent lately.
    func loadNotificationLog() async throws(StorageError) -> NotificationLog {
        try await pool.withConnection { connection throws(StorageError) in try Self.notificationLog(connection) }
    }

    func load() async throws(StorageError) -> Snapshot {
        try await pool.withConnection { connection throws(StorageError) in
            let alerts = try connection.execute("""
                SELECT labels::text, annotations::text, \(StoredTime.select("starts_at")), \(StoredTime.select("ends_at")), generator_url, \(StoredTime.select("updated_at")), timeout FROM alerting_alerts
                """).rows.compactMap { row -> Alert? in
                guard let labels = row[0].flatMap(StoredJSON.labels), let annotations = row[1].flatMap(StoredJSON.labels),
                      let startsAt = row[2].flatMap(StoredTime.parse), let endsAt = row[3].flatMap(StoredTime.parse),
                      let updatedAt = row[5].flatMap(StoredTime.parse) else { return nil }
                return Alert(labels: labels, annotations: annotations, startsAt: startsAt, endsAt: endsAt,
                             generatorURL: row[4] ?? "", updatedAt: updatedAt, timeout: row[6] == "t")
            }
            let silences = try connection.execute("""
                SELECT id, matchers::text, \(StoredTime.select("starts_at")), \(StoredTime.select("ends_at")), \(StoredTime.select("updated_at")), created_by, comment FROM alerting_silences
                """).rows.compactMap { row -> Silence? in
                guard let id = row[0], let matchers = row[1].flatMap(StoredJSON.matchers), let startsAt = row[2].flatMap(StoredTime.parse),
                      let endsAt = row[3].flatMap(StoredTime.parse), let updatedAt = row[4].flatMap(StoredTime.parse) else { return nil }
                return Silence(id: id, matchers: matchers, startsAt: startsAt, endsAt: endsAt, updatedAt: updatedAt, createdBy: row[5] ?? "", comment: row[6] ?? "")
            }
            return Snapshot(alerts: alerts, silences: silences, log: try Self.notificationLog(connection))
        }
    }

    private static func notificationLog(_ connection: PostgresConnection) throws(StorageError) -> NotificationLog {
        var entries: [NotificationLog.Key: NotificationLog.Entry] = [:]
        for row in try connection.execute("""
            SELECT group_key, receiver, integration, idx, array_to_json(firing)::text, array_to_json(resolved)::text, \(StoredTime.select("sent_at")), \(StoredTime.select("expires_at"))
            FROM alerting_notification_log
            """).rows {
            guard let groupKey = row[0], let receiver = row[1], let integration = row[2], let index = row[3].flatMap({ Int($0) }),
                  let firing = row[4].flatMap(StoredJSON.fingerprints), let resolved = row[5].flatMap(StoredJSON.fingerprints),
                  let sentAt = row[6].flatMap(StoredTime.parse), let expiresAt = row[7].flatMap(StoredTime.parse) else { continue }
            entries[.init(groupKey: groupKey, receiver: receiver, integration: integration, index: index)] =
                .init(firing: firing, resolved: resolved, sentAt: sentAt, expiresAt: expiresAt)
        }
        return NotificationLog(entries)
    }

    /// Upserts alerts and appends their state transitions to the history, in one transaction.
    func save(alerts: [Alert], transitions: [(Alert, AlertingState.Transition)], at now: Date) async throws(StorageError) {
        guard !alerts.isEmpty else { return }
        let alertsJSON = StoredJSON.array(alerts.map { alert in
            [
                "fingerprint": .string(alert.fingerprint.description), "labels": .object(alert.labels.dictionary),
                "annotations": .object(alert.annotations.dictionary), "starts_at": .string(StoredTime.format(alert.startsAt)),
                "ends_at": .string(StoredTime.format(alert.endsAt)), "generator_url": .string(alert.generatorURL),
                "updated_at": .string(StoredTime.format(alert.updatedAt)), "timeout": .bool(alert.timeout),
            ]
        })
        let historyJSON = StoredJSON.array(transitions.map { alert, transition in
            [
                "fingerprint": .string(alert.fingerprint.description), "labels": .object(alert.labels.dictionary),
                "annotations": .object(alert.annotations.dictionary), "state": .string(transition.rawValue),
            ]
        })
        try await pool.withConnection { connection throws(StorageError) in
            _ = try connection.execute("BEGIN")
            do throws(StorageError) {
                _ = try connection.execute("""
                    INSERT INTO alerting_alerts AS a
                    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(fingerprint text, labels jsonb, annotations jsonb, starts_at timestamptz,
                        ends_at timestamptz, generator_url text, updated_at timestamptz, timeout boolean)
                    ON CONFLICT (fingerprint) DO UPDATE SET labels = excluded.labels, annotations = excluded.annotations,
                        starts_at = excluded.starts_at, ends_at = excluded.ends_at, generator_url = excluded.generator_url,
                        updated_at = excluded.updated_at, timeout = excluded.timeout
                    """, [alertsJSON])
                if !transitions.isEmpty {
                    _ = try connection.execute("""
                        INSERT INTO alerting_history (time, kind, fingerprint, labels, annotations, state)
                        SELECT $2::timestamptz, 'state', fingerprint, labels, annotations, state
                        FROM jsonb_to_recordset($1::jsonb) AS r(fingerprint text, labels jsonb, annotations jsonb, state text)
                        """, [historyJSON, StoredTime.format(now)])
                }
                _ = try connection.execute("COMMIT")
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    func save(silences: [Silence]) async throws(StorageError) {
        guard !silences.isEmpty else { return }
        let json = StoredJSON.array(silences.map { silence in
            [
                "id": .string(silence.id), "matchers": .raw(StoredJSON.encode(silence.matchers)),
                "starts_at": .string(StoredTime.format(silence.startsAt)), "ends_at": .string(StoredTime.format(silence.endsAt)),
                "updated_at": .string(StoredTime.format(silence.updatedAt)), "created_by": .string(silence.createdBy), "comment": .string(silence.comment),
            ]
        })
        try await pool.withConnection { connection throws(StorageError) in
            _ = try connection.execute("""
                INSERT INTO alerting_silences
                SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id text, matchers jsonb, starts_at timestamptz, ends_at timestamptz,
                    updated_at timestamptz, created_by text, comment text)
                ON CONFLICT (id) DO UPDATE SET matchers = excluded.matchers, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                    updated_at = excluded.updated_at, created_by = excluded.created_by, comment = excluded.comment
                """, [json])
        }
    }

    /// Records a finished send: the log entries (on success) and a history row per integration.
    func save(log entries: [(NotificationLog.Key, NotificationLog.Entry)], history: [NotificationRecord]) async throws(StorageError) {
        let logJSON = StoredJSON.array(entries.map { key, entry in
            [
                "group_key": .string(key.groupKey), "receiver": .string(key.receiver), "integration": .string(key.integration),
                "idx": .int(key.index), "firing": .strings(entry.firing.map(\.description).sorted()),
                "resolved": .strings(entry.resolved.map(\.description).sorted()), "sent_at": .string(StoredTime.format(entry.sentAt)),
                "expires_at": .string(StoredTime.format(entry.expiresAt)),
            ]
        })
        let historyJSON = StoredJSON.array(history.map { record in
            [
                "time": .string(StoredTime.format(record.time)), "labels": .object(record.groupLabels.dictionary), "state": .string(record.status),
                "receiver": .string(record.receiver), "integration": .string(record.integration), "group_key": .string(record.groupKey),
                "outcome": .string(record.success ? "success" : "failure"), "attempts": .int(record.attempts),
                "error": record.error.map { .string($0) } ?? .null,
            ]
        })
        try await pool.withConnection { connection throws(StorageError) in
            _ = try connection.execute("""
                WITH log AS (
                    INSERT INTO alerting_notification_log
                    SELECT group_key, receiver, integration, idx, ARRAY(SELECT jsonb_array_elements_text(firing)),
                        ARRAY(SELECT jsonb_array_elements_text(resolved)), sent_at, expires_at
                    FROM jsonb_to_recordset($1::jsonb) AS r(group_key text, receiver text, integration text, idx integer, firing jsonb,
                        resolved jsonb, sent_at timestamptz, expires_at timestamptz)
                    ON CONFLICT (group_key, receiver, integration, idx) DO UPDATE SET firing = excluded.firing, resolved = excluded.resolved,
                        sent_at = excluded.sent_at, expires_at = excluded.expires_at
                )
                INSERT INTO alerting_history (time, kind, labels, state, receiver, integration, group_key, outcome, attempts, error)
                SELECT time, 'notification', labels, state, receiver, integration, group_key, outcome, attempts, error
                FROM jsonb_to_recordset($2::jsonb) AS r(time timestamptz, labels jsonb, state text, receiver text, integration text,
                    group_key text, outcome text, attempts integer, error text)
                """, [logJSON, historyJSON])
        }
    }

    /// Deletes what the state forgot, and history older than `cutoff`.
    func delete(alerts: [Fingerprint], silences: [String], log: [NotificationLog.Key], historyBefore cutoff: Date) async throws(StorageError) {
        let keys = StoredJSON.array(log.map { ["group_key": .string($0.groupKey), "receiver": .string($0.receiver), "integration": .string($0.integration), "idx": .int($0.index)] })
        try await pool.withConnection { connection throws(StorageError) in
            _ = try connection.execute("DELETE FROM alerting_alerts WHERE fingerprint = ANY($1::text[])", [PostgresArray.text(alerts.map(\.description))])
            _ = try connection.execute("DELETE FROM alerting_silences WHERE id = ANY($1::text[])", [PostgresArray.text(silences)])
            _ = try connection.execute("""
                DELETE FROM alerting_notification_log l USING jsonb_to_recordset($1::jsonb) AS r(group_key text, receiver text, integration text, idx integer)
                WHERE l.group_key = r.group_key AND l.receiver = r.receiver AND l.integration = r.integration AND l.idx = r.idx
                """, [keys])
            _ = try connection.execute("DELETE FROM alerting_history WHERE time < $1::timestamptz", [StoredTime.format(cutoff)])
        }
    }
}

/// One notification attempt series, for the history.
struct NotificationRecord: Sendable {
    var time: Date
    var groupKey: String
    var groupLabels: LabelSet
    var status: String
    var receiver: String
    var integration: String
    var success: Bool
    var attempts: Int
    var error: String?
}

extension AlertingRepository {
    /// History rows in `[start, end]`, newest first. Label matchers are applied in Swift after
    /// the time-range read, which the index on time bounds.
    func history(start: Date, end: Date, matchers: Matchers, limit: Int) async throws(StorageError) -> [HistoryEntry] {
        try await pool.withConnection { connection throws(StorageError) in
            var result: [HistoryEntry] = []
            let rows = try connection.execute("""
                SELECT \(StoredTime.select("time")), kind, fingerprint, labels::text, state, receiver, integration, group_key, outcome, attempts, error,
                       annotations::text
                FROM alerting_history WHERE time >= $1::timestamptz AND time <= $2::timestamptz ORDER BY time DESC, id DESC
                """, [StoredTime.format(start), StoredTime.format(end)]).rows
            for row in rows {
                guard let time = row[0].flatMap(StoredTime.parse), let kind = row[1], let labels = row[3].flatMap(StoredJSON.labels) else { continue }
                guard matchers.matches(labels) else { continue }
                result.append(HistoryEntry(time: time, kind: kind, fingerprint: row[2], labels: labels.dictionary, state: row[4], receiver: row[5],
                                           integration: row[6], groupKey: row[7], outcome: row[8], attempts: row[9].flatMap { Int($0) }, error: row[10],
                                           annotations: row[11].flatMap(StoredJSON.labels)?.dictionary))
                if result.count == limit { break }
            }
            return result
        }
    }
}
