import VigilModel

extension IngestWriter {
    /// Writes the batches of several requests in one transaction: each table's rows go through
    /// one COPY, batch after batch, without concatenating them first. Writer thread only.
    func writeTransaction(_ batches: [EncodedBatch]) throws(StorageError) {
        let connection = try openConnection()
        for batch in batches {
            for key in batch.partitions where !partitions.contains(key) {
                try partitionManager.create(key, on: connection)
                partitions.insert(key)
            }
        }
        var newResources: [Int64: [String?]] = [:]
        var newScopes: [Int64: [String?]] = [:]
        var newSeries: [Int64: [String?]] = [:]
        for batch in batches {
            newResources.merge(batch.resources.filter { !knownResources.contains($0.key) }) { first, _ in first }
            newScopes.merge(batch.scopes.filter { !knownScopes.contains($0.key) }) { first, _ in first }
            newSeries.merge(batch.series.filter { !knownSeries.contains($0.key) }) { first, _ in first }
        }
        do throws(StorageError) {
            try connection.execute("BEGIN")
            for parameters in newResources.values {
                try connection.execute("""
                    INSERT INTO resources (resource_id, service_name, attributes, dropped_attributes_count, entity_refs, schema_url)
                    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (resource_id) DO NOTHING
                    """, parameters)
            }
            for parameters in newScopes.values {
                try connection.execute("""
                    INSERT INTO scopes (scope_id, name, version, attributes, dropped_attributes_count, schema_url)
                    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope_id) DO NOTHING
                    """, parameters)
            }
            for parameters in newSeries.values {
                try connection.execute("""
                    INSERT INTO metric_series (series_id, name, description, unit, type, temporality, is_monotonic, attributes, metadata, service_name, resource_id, scope_id)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (series_id) DO NOTHING
                    """, parameters)
            }
            try copy("spans", batches.map(\.spans), on: connection)
            try appendRollups(batches, on: connection)
            try copy("logs", batches.map(\.logs), on: connection)
            try copy("metric_points", batches.map(\.metricPoints), on: connection)
            try copy("exemplars", batches.map(\.exemplars), on: connection)
            let traceRanges = batches.filter { !$0.traceRanges.isEmpty }.map { Self.traceRangeRows($0.traceRanges) }
            if !traceRanges.isEmpty {
                // A trace in several batches appears several times here; the INSERT groups them.
                try copy("vigil_trace_ranges", traceRanges, on: connection)
                // Sorted so that concurrent writers (several Vigil processes) lock rows in one order.
                try connection.execute("""
                    INSERT INTO traces (trace_id, first_time, last_time)
                    SELECT trace_id, min(first_time), max(last_time) FROM vigil_trace_ranges GROUP BY trace_id ORDER BY trace_id
                    ON CONFLICT (trace_id) DO UPDATE
                        SET first_time = least(traces.first_time, excluded.first_time),
                            last_time = greatest(traces.last_time, excluded.last_time)
                        WHERE traces.first_time > excluded.first_time OR traces.last_time < excluded.last_time
                    """)
            }
            try connection.execute("COMMIT")
        } catch {
            if connection.isHealthy { _ = try? connection.execute("ROLLBACK") } else { self.connection = nil }
            if error.sqlState == "23514" || error.sqlState == "42P01" {
                // A partition was dropped underneath us (retention); forget what we knew.
                partitions = (try? partitionManager.existingPartitions(connection)) ?? []
            }
            throw error
        }
        knownResources.formUnion(newResources.keys)
        knownScopes.formUnion(newScopes.keys)
        knownSeries.formUnion(newSeries.keys)
    }

    /// Appends the batches' RED aggregates to the minute and hour rollups, as partial rows that
    /// ``RollupCompactor`` later merges: appending never waits on a row another transaction holds.
    private func appendRollups(_ batches: [EncodedBatch], on connection: PostgresConnection) throws(StorageError) {
        var rollup = REDRollup()
        for batch in batches where !batch.rollup.isEmpty { rollup.merge(batch.rollup) }
        guard !rollup.isEmpty else { return }
        try copy("red_rollups \(REDRollup.columns)", [REDRollup.copyRows(rollup.minutes)], on: connection)
        try copy("red_rollups_hourly \(REDRollup.columns)", [REDRollup.copyRows(rollup.coarsened(toMinutes: 60))], on: connection)
        try copy("red_rollups_6h \(REDRollup.columns)", [REDRollup.copyRows(rollup.coarsened(toMinutes: 360))], on: connection)
    }

    private func copy(_ table: String, _ chunks: [[UInt8]], on connection: PostgresConnection) throws(StorageError) {
        let chunks = chunks.filter { !$0.isEmpty }
        guard !chunks.isEmpty else { return }
        try connection.copyIn("COPY \(table) FROM STDIN", chunks: chunks)
    }

    static func traceRangeRows(_ ranges: [TraceID: ClosedRange<Int64>]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ranges.count * 100)
        for (traceID, range) in ranges {
            CopyTextRow.append(to: &bytes) { row in
                row.traceID(traceID)
                row.timestamp(unixNano: range.lowerBound)
                row.timestamp(unixNano: range.upperBound)
            }
        }
        return bytes
    }
}
