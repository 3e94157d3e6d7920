import Foundation
import VigilRules
import VigilStorage

/// Reads and writes `rule_alert_state` (schemas/migrations/0005_rules.sql): the alerts and
/// health of every rule unit. Every call runs on the read pool's threads.
struct RuleStateRepository: Sendable {
    /// A unit's identity across processes: file, group and unit key.
    struct Key: Hashable, Sendable {
        var file: String
        var group: String
        var unit: String
    }

    let pool: PostgresReadPool

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        return encoder
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    /// Every saved unit. Rows that cannot be decoded (written by a newer version) are skipped.
    func load() async throws(StorageError) -> [Key: RuleGroupState.SavedUnit] {
        let rows = try await pool.withConnection { connection throws(StorageError) in
            try connection.execute("""
                SELECT file, group_name, unit_key, alerts::text, health, last_error,
                       extract(epoch FROM last_evaluation)::float8, evaluation_seconds
                FROM rule_alert_state
                """).rows
        }
        let decoder = Self.decoder()
        var result: [Key: RuleGroupState.SavedUnit] = [:]
        for row in rows {
            guard let file = row[0], let group = row[1], let unit = row[2], let text = row[3],
                  let alerts = try? decoder.decode([ActiveRuleAlert].self, from: Data(text.utf8)) else { continue }
            var health = RuleGroupState.UnitHealth()
            health.health = row[4].flatMap(RuleGroupState.UnitHealth.Health.init(rawValue:)) ?? .unknown
            health.lastError = row[5]
            health.lastEvaluation = row[6].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
            health.evaluationSeconds = row[7].flatMap(Double.init) ?? 0
            result[Key(file: file, group: group, unit: unit)] = RuleGroupState.SavedUnit(alerts: alerts, health: health)
        }
        return result
    }

    /// Writes the state of every unit of a group in one statement, and removes rows of units the
    /// group no longer has.
    func save(_ group: RuleGroupState) async throws(StorageError) {
        let encoder = Self.encoder()
        var units: [String] = [], alerts: [String] = [], health: [String] = [], errors: [String?] = []
        var evaluations: [String?] = [], seconds: [String] = []
        for (index, unit) in group.units.enumerated() {
            let state = group.health[index]
            units.append(unit.key)
            alerts.append((try? encoder.encode(group.states[index].snapshot)).map { String(decoding: $0, as: UTF8.self) } ?? "[]")
            health.append(state.health.rawValue)
            errors.append(state.lastError)
            evaluations.append(state.lastEvaluation.map { String($0.timeIntervalSince1970) })
            seconds.append(String(state.evaluationSeconds))
        }
        let (file, name) = (group.file, group.group.name)
        let parameters: [String?] = [
            file, name, PostgresArray.text(units), PostgresArray.text(alerts), PostgresArray.text(health),
            PostgresArray.text(errors), PostgresArray.text(evaluations), PostgresArray.text(seconds),
        ]
        let keys = PostgresArray.text(units)
        try await pool.withConnection { connection throws(StorageError) in
            _ = try connection.execute("BEGIN")
            do throws(StorageError) {
                _ = try connection.execute("""
                    INSERT INTO rule_alert_state (file, group_name, unit_key, alerts, health, last_error, last_evaluation, evaluation_seconds, updated_at)
                    SELECT $1, $2, u.unit, u.alerts::jsonb, u.health, u.error, to_timestamp(u.evaluation::float8), u.seconds::float8, now()
                    FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                         AS u(unit, alerts, health, error, evaluation, seconds)
                    ON CONFLICT (file, group_name, unit_key) DO UPDATE SET
                        alerts = excluded.alerts, health = excluded.health, last_error = excluded.last_error,
                        last_evaluation = excluded.last_evaluation, evaluation_seconds = excluded.evaluation_seconds, updated_at = now()
                    """, parameters)
                _ = try connection.execute(
                    "DELETE FROM rule_alert_state WHERE file = $1 AND group_name = $2 AND NOT unit_key = ANY($3::text[])",
                    [file, name, keys])
                _ = try connection.execute("COMMIT")
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Removes the rows of groups that are no longer loaded.
    func removeGroups(except kept: [(file: String, group: String)]) async throws(StorageError) {
        let files = PostgresArray.text(kept.map(\.file)), groups = PostgresArray.text(kept.map(\.group))
        try await pool.withConnection { connection throws(StorageError) in
            _ = try connection.execute("""
                DELETE FROM rule_alert_state r WHERE NOT EXISTS (
                    SELECT 1 FROM unnest($1::text[], $2::text[]) AS k(file, group_name) WHERE k.file = r.file AND k.group_name = r.group_name)
                """, [files, groups])
        }
    }
}
