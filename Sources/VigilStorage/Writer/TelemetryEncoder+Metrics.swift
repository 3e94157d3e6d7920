import VigilModel

extension TelemetryEncoder {
    /// Encodes the metrics of one export request: one series row per distinct point attribute
    /// set, one point row per data point, one exemplar row per exemplar.
    public func encode(metrics export: ExportBatch<Metric>) -> EncodedBatch {
        var batch = EncodedBatch()
        for group in export.groups {
            guard let (resourceID, scopeID) = groupIDs(group, itemCount: group.items.reduce(0) { $0 + $1.data.pointCount }, what: "data points", into: &batch) else { continue }
            let context = SeriesContext(service: group.resource.serviceName, resourceID: resourceID, scopeID: scopeID)
            for metric in group.items {
                encode(metric, context: context, into: &batch)
            }
        }
        return batch
    }

    struct SeriesContext {
        var service: String
        var resourceID: Int64
        var scopeID: Int64
    }

    private func encode(_ metric: Metric, context: SeriesContext, into batch: inout EncodedBatch) {
        let metadata = Self.attributesJSON(metric.metadata)
        switch metric.data {
        case .gauge(let points):
            for point in points {
                add(metric, metadata, context, temporality: nil, monotonic: nil, point: point.attributes, point.timeUnixNano, point.exemplars, into: &batch) { (row: inout CopyTextRow, time: Int64) throws(Rejection) in
                    try numberColumns(point, time, &row)
                }
            }
        case .sum(let points, let temporality, let monotonic):
            for point in points {
                add(metric, metadata, context, temporality: temporality, monotonic: monotonic, point: point.attributes, point.timeUnixNano, point.exemplars, into: &batch) { (row: inout CopyTextRow, time: Int64) throws(Rejection) in
                    try numberColumns(point, time, &row)
                }
            }
        case .histogram(let points, let temporality):
            for point in points {
                add(metric, metadata, context, temporality: temporality, monotonic: nil, point: point.attributes, point.timeUnixNano, point.exemplars, into: &batch) { (row: inout CopyTextRow, time: Int64) throws(Rejection) in
                    try commonColumns(point.startTimeUnixNano, time, point.flags, &row)
                    row.null(); row.null()
                    row.integer(point.count); row.optionalDouble(point.sum); row.optionalDouble(point.min); row.optionalDouble(point.max)
                    row.integerArray(point.bucketCounts); row.doubleArray(point.explicitBounds)
                    for _ in 0..<9 { row.null() }
                }
            }
        case .exponentialHistogram(let points, let temporality):
            for point in points {
                add(metric, metadata, context, temporality: temporality, monotonic: nil, point: point.attributes, point.timeUnixNano, point.exemplars, into: &batch) { (row: inout CopyTextRow, time: Int64) throws(Rejection) in
                    try commonColumns(point.startTimeUnixNano, time, point.flags, &row)
                    row.null(); row.null()
                    row.integer(point.count); row.optionalDouble(point.sum); row.optionalDouble(point.min); row.optionalDouble(point.max)
                    row.null(); row.null()
                    row.integer(point.scale); row.integer(point.zeroCount); row.double(point.zeroThreshold)
                    row.integer(point.positive.offset); row.integerArray(point.positive.bucketCounts)
                    row.integer(point.negative.offset); row.integerArray(point.negative.bucketCounts)
                    row.null(); row.null()
                }
            }
        case .summary(let points):
            for point in points {
                add(metric, metadata, context, temporality: nil, monotonic: nil, point: point.attributes, point.timeUnixNano, [], into: &batch) { (row: inout CopyTextRow, time: Int64) throws(Rejection) in
                    try commonColumns(point.startTimeUnixNano, time, point.flags, &row)
                    row.null(); row.null()
                    row.integer(point.count); row.double(point.sum); row.null(); row.null()
                    for _ in 0..<9 { row.null() }
                    row.doubleArray(point.quantileValues.map(\.quantile))
                    row.doubleArray(point.quantileValues.map(\.value))
                }
            }
        }
    }

    private func numberColumns(_ point: NumberDataPoint, _ time: Int64, _ row: inout CopyTextRow) throws(Rejection) {
        try commonColumns(point.startTimeUnixNano, time, point.flags, &row)
        switch point.value {
        case .double(let value): row.double(value); row.null()
        case .int(let value): row.null(); row.integer(value)
        case .none: row.null(); row.null()
        }
        for _ in 0..<15 { row.null() }
    }

    /// `start_time_unix_nano, time_unix_nano, flags`.
    private func commonColumns(_ start: UInt64, _ time: Int64, _ flags: UInt32, _ row: inout CopyTextRow) throws(Rejection) {
        guard start <= UInt64(Int64.max) else { throw Rejection(reason: "start time \(start) is beyond the year 2262") }
        row.integer(Int64(start))
        row.integer(time)
        row.integer(flags)
    }

    /// Writes one point row: `time, series_id`, then what `columns` writes from
    /// `start_time_unix_nano` on; then the point's exemplars. A failure removes all of them.
    private func add(
        _ metric: Metric, _ metadata: JSONWriter, _ context: SeriesContext, temporality: Int32?, monotonic: Bool?,
        point attributes: [Attribute], _ timeUnixNano: UInt64, _ exemplars: [Exemplar],
        into batch: inout EncodedBatch,
        columns: (inout CopyTextRow, Int64) throws(Rejection) -> Void
    ) {
        let pointsStart = batch.metricPoints.count
        let exemplarsStart = batch.exemplars.count
        do throws(Rejection) {
            let seriesID = try self.seriesID(metric, metadata, context, temporality: temporality, monotonic: monotonic, attributes: attributes, into: &batch)
            let time = try checkedTime(timeUnixNano, what: "point time")
            try CopyTextRow.append(to: &batch.metricPoints, nulError: Rejection(reason: Self.nulReason)) { (row: inout CopyTextRow) throws(Rejection) in
                row.timestamp(unixNano: time)
                row.integer(seriesID)
                try columns(&row, time)
            }
            for ordinal in exemplars.indices {
                try appendExemplar(exemplars[ordinal], ordinal: ordinal, seriesID: seriesID, pointTime: time, to: &batch.exemplars)
            }
            for exemplar in exemplars {
                if let traceID = exemplar.traceID { batch.noteTrace(traceID, at: time) }
            }
            batch.rowCount += 1 + exemplars.count
            batch.notePartitions(EncodedBatch.pointTables, unixNano: time)
            if !exemplars.isEmpty { batch.notePartitions(EncodedBatch.exemplarTables, unixNano: time) }
        } catch {
            batch.metricPoints.removeSubrange(pointsStart...)
            batch.exemplars.removeSubrange(exemplarsStart...)
            batch.rejected.record("metric \(metric.name) data point: \(error.reason)")
        }
    }

    private func appendExemplar(_ exemplar: Exemplar, ordinal: Int, seriesID: Int64, pointTime: Int64, to buffer: inout [UInt8]) throws(Rejection) {
        guard exemplar.timeUnixNano <= UInt64(Int64.max) else { throw Rejection(reason: "exemplar time \(exemplar.timeUnixNano) is beyond the year 2262") }
        try CopyTextRow.append(to: &buffer, nulError: Rejection(reason: "an exemplar attribute contains a NUL character, which PostgreSQL cannot store")) { (row: inout CopyTextRow) throws(Rejection) in
            row.timestamp(unixNano: pointTime)
            row.integer(seriesID)
            row.integer(pointTime)
            row.integer(ordinal)
            row.integer(Int64(exemplar.timeUnixNano))
            switch exemplar.value {
            case .double(let value): row.double(value); row.null()
            case .int(let value): row.null(); row.integer(value)
            case .none: row.null(); row.null()
            }
            if let traceID = exemplar.traceID { row.traceID(traceID) } else { row.null() }
            if let spanID = exemplar.spanID { row.spanID(spanID) } else { row.null() }
            row.json { AttributeJSON.write(exemplar.filteredAttributes, to: &$0) }
        }
    }

    private func seriesID(
        _ metric: Metric, _ metadata: JSONWriter, _ context: SeriesContext, temporality: Int32?, monotonic: Bool?, attributes: [Attribute],
        into batch: inout EncodedBatch
    ) throws(Rejection) -> Int64 {
        let attributesJSON = Self.attributesJSON(attributes)
        guard !attributesJSON.containsNUL, !metadata.containsNUL, !NULCharacter.isIn(metric.name, metric.description, metric.unit) else {
            throw Rejection(reason: Self.nulReason)
        }
        var hash = StableHash()
        hash.combine(context.resourceID)
        hash.combine(context.scopeID)
        hash.combine(metric.name)
        hash.combine(metric.description)
        hash.combine(metric.unit)
        hash.combine(metric.data.typeName)
        hash.combine(Int64(temporality ?? -1))
        hash.combine(monotonic.map { $0 ? 1 : 0 } ?? -1)
        hash.combine(attributesJSON.bytes)
        hash.combine(metadata.bytes)
        let id = hash.id
        if batch.series[id] == nil {
            batch.series[id] = [
                String(id), metric.name, metric.description, metric.unit, metric.data.typeName,
                temporality.map { String($0) }, monotonic.map { $0 ? "true" : "false" },
                attributesJSON.string, metadata.string,
                context.service, String(context.resourceID), String(context.scopeID),
            ]
        }
        return id
    }
}
