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
            // BEGIN travels with the first COPY unless parameterized inserts come first: every
            // round trip to PostgreSQL costs a wait and two thread switches.
            var begin = "BEGIN; "
            if !newResources.isEmpty || !newScopes.isEmpty || !newSeries.isEmpty {
                try connection.execute("BEGIN")
                begin = ""
            }
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
            try copy("spans", batches.map(\.spans), on: connection, after: &begin)
            try copy("logs", batches.map(\.logs), on: connection, after: &begin)
            try copy("metric_points", batches.map(\.metricPoints), on: connection, after: &begin)
            try copy("exemplars", batches.map(\.exemplars), on: connection, after: &begin)
            if !begin.isEmpty { try connection.execute("BEGIN") }
            try insertDerivedRows(batches, on: connection)
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

    /// The rows derived from the batches' spans, in one statement: their RED aggregates, added to
    /// the minute, hour and six-hour rollups as partial rows that ``RollupCompactor`` later merges
    /// (appending never waits on a row another transaction holds), and their traces' time ranges.
    private func insertDerivedRows(_ batches: [EncodedBatch], on connection: PostgresConnection) throws(StorageError) {
        var rollup = REDRollup()
        for batch in batches where !batch.rollup.isEmpty { rollup.merge(batch.rollup) }
        var traceIDs = ArrayLiteral(), firstTimes = ArrayLiteral(), lastTimes = ArrayLiteral()
        for batch in batches {
            // A trace in several batches appears several times here; the INSERT groups them.
            for (traceID, range) in batch.traceRanges {
                traceIDs.bytea(traceID.high, traceID.low)
                firstTimes.timestamp(unixNano: range.lowerBound)
                lastTimes.timestamp(unixNano: range.upperBound)
            }
        }
        guard !rollup.isEmpty || traceIDs.count > 0 else { return }
        let parameters = REDRollup.columnParameters(rollup.minutes)
            + REDRollup.columnParameters(rollup.coarsened(toMinutes: 60))
            + REDRollup.columnParameters(rollup.coarsened(toMinutes: 360))
            + [traceIDs.terminated(), firstTimes.terminated(), lastTimes.terminated()]
        try connection.execute(Self.derivedRowsStatement, terminatedParameters: parameters)
    }

    /// Rollup rows of the three tables from `$1`–`$24` (eight column arrays each) and trace time
    /// ranges from `$25`–`$27`. Traces are sorted so that concurrent writers (several Vigil
    /// processes) lock rows in one order.
    static let derivedRowsStatement: String = {
        let columns = "(time, service_name, operation, span_kind, request_count, error_count, duration_sum_nanos, latency)"
        func rollupInsert(_ table: String, from first: Int) -> String {
            let types = ["timestamptz", "text", "text", "smallint", "bigint", "bigint", "numeric", "jsonb"]
            let arrays = types.enumerated().map { "$\(first + $0.offset)::\($0.element)[]" }.joined(separator: ", ")
            return "INSERT INTO \(table) \(columns) SELECT * FROM unnest(\(arrays))"
        }
        return """
            WITH minute_rows AS (\(rollupInsert("red_rollups", from: 1))),
                hour_rows AS (\(rollupInsert("red_rollups_hourly", from: 9))),
                six_hour_rows AS (\(rollupInsert("red_rollups_6h", from: 17)))
            INSERT INTO traces (trace_id, first_time, last_time)
            SELECT trace_id, min(first_time), max(last_time)
            FROM unnest($25::bytea[], $26::timestamptz[], $27::timestamptz[]) AS ranges (trace_id, first_time, last_time)
            GROUP BY trace_id ORDER BY trace_id
            ON CONFLICT (trace_id) DO UPDATE
                SET first_time = least(traces.first_time, excluded.first_time),
                    last_time = greatest(traces.last_time, excluded.last_time)
                WHERE traces.first_time > excluded.first_time OR traces.last_time < excluded.last_time
            """
    }()

    /// `COPY table FROM STDIN` of the non-empty chunks, with `prefix` (a pending BEGIN) sent in
    /// the same round trip and then cleared.
    private func copy(_ table: String, _ chunks: [[UInt8]], on connection: PostgresConnection, after prefix: inout String) throws(StorageError) {
        let chunks = chunks.filter { !$0.isEmpty }
        guard !chunks.isEmpty else { return }
        try connection.copyIn("\(prefix)COPY \(table) FROM STDIN", chunks: chunks)
        prefix = ""
    }
}
