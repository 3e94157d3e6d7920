import VigilYAML

extension RuleTest {
    /// One metric series of `input_series`, as the test's data source serves it. The buckets of a
    /// classic histogram (`type: histogram_bucket`, one entry per `le`) make one series.
    public struct InputSeries: Sendable, Hashable {
        /// The series' type, from `type:`.
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            /// `gauge` (the default).
            case gauge
            /// `counter`: a monotonic cumulative sum.
            case counter
            /// `delta_counter`: a monotonic delta sum; each value is the increase since the step before.
            case deltaCounter = "delta_counter"
            /// `updown`: a non-monotonic cumulative sum.
            case updown
            /// `histogram_bucket` entries: an explicit-bucket cumulative histogram.
            case histogram = "histogram_bucket"
        }

        /// The metric name (for histograms, without a `_bucket` suffix).
        public var metric: String
        /// The `service` label: `service.name` of the series' resource; empty without one.
        public var service: String
        /// The other labels (but `le`): the data points' attributes.
        public var attributes: [String: String]
        /// The series' type.
        public var kind: Kind
        /// Gauges and sums: the value at each step, `nil` where there is none (`_`, `stale`).
        public var values: [Double?]
        /// Histograms: the finite bucket bounds (`le`), ascending.
        public var bounds: [Double]
        /// Histograms: at each step, the cumulative count of each bucket as written (one per
        /// bound, then `+Inf`), or `nil` where there is no point.
        public var cumulativeCounts: [[Double]?]
        /// The line of the (first) entry in its file.
        public var line: Int?

        /// A gauge or sum with one value per step.
        public init(metric: String, service: String = "", attributes: [String: String] = [:], kind: Kind, values: [Double?], line: Int? = nil) {
            self.metric = metric
            self.service = service
            self.attributes = attributes
            self.kind = kind
            self.values = values
            self.bounds = []
            self.cumulativeCounts = []
            self.line = line
        }

        /// A histogram with its bounds and, per step, cumulative bucket counts (`+Inf` last).
        public init(metric: String, service: String = "", attributes: [String: String] = [:], bounds: [Double], cumulativeCounts: [[Double]?], line: Int? = nil) {
            self.metric = metric
            self.service = service
            self.attributes = attributes
            self.kind = .histogram
            self.values = []
            self.bounds = bounds
            self.cumulativeCounts = cumulativeCounts
            self.line = line
        }

        /// One `input_series` entry as written.
        struct Raw {
            var description: SeriesDescription
            var kind: Kind
            var values: [SeriesNotation.Value]
            var line: Int?
            var path: String
            var file: String

            func error(_ key: String, _ reason: String) -> ConfigurationError {
                ConfigurationError(file: file, line: line, key: path.isEmpty ? key : "\(path).\(key)", reason: reason)
            }

            static func parse(_ section: inout YAMLSection) throws(ConfigurationError) -> Raw {
                let text = try section.requiredText("series")
                let description: SeriesDescription
                do {
                    description = try SeriesDescription.parse(text)
                } catch {
                    throw section.error("series", "\(text): \(error.message)")
                }
                var kind = Kind.gauge
                if let typeText = try section.scalar("type") {
                    guard let parsed = Kind(rawValue: typeText) else {
                        throw section.error("type", "\"\(typeText)\" is not one of gauge, counter, delta_counter, updown, histogram_bucket")
                    }
                    kind = parsed
                }
                guard let valuesText = try section.scalar("values") else {
                    throw section.error("values", "is required: the values in promtool's notation, such as 0+10x60")
                }
                let values: [SeriesNotation.Value]
                do {
                    values = try SeriesNotation.parse(valuesText)
                } catch {
                    throw section.error("values", error.message)
                }
                return Raw(description: description, kind: kind, values: values, line: section.line, path: section.path, file: section.file)
            }
        }

        /// The series the raw entries make, in the order of their first entries: each gauge or
        /// sum as it is, the buckets of each histogram together.
        ///
        /// - Throws: ``ConfigurationError`` for a series given twice, a bucket without a numeric
        ///   `le`, a histogram without a `+Inf` bucket, buckets with values at different steps, or
        ///   cumulative counts that decrease as `le` grows.
        static func assemble(_ entries: [Raw]) throws(ConfigurationError) -> [InputSeries] {
            struct Identity: Hashable {
                var metric: String
                var service: String
                var attributes: [String: String]
            }
            var result: [InputSeries] = []
            var firstEntries: [Raw] = []
            var indices: [Identity: Int] = [:]
            var buckets: [Int: [(le: Double, entry: Raw)]] = [:]
            for entry in entries {
                var identity = Identity(metric: entry.description.name, service: "", attributes: [:])
                var le: Double?
                for (name, value) in entry.description.labels {
                    if name == "service" {
                        identity.service = value
                    } else if name == "le", entry.kind == .histogram {
                        guard let bound = parseBound(value) else { throw entry.error("series", "le=\"\(value)\" is not a number") }
                        le = bound
                    } else {
                        identity.attributes[name] = value
                    }
                }
                if entry.kind == .histogram {
                    guard le != nil else { throw entry.error("series", "a histogram_bucket series needs an le label: the bucket's upper bound") }
                    if identity.metric.hasSuffix("_bucket"), identity.metric.count > "_bucket".count { identity.metric.removeLast("_bucket".count) }
                }
                if let index = indices[identity] {
                    // Only the buckets of one histogram share an identity; they differ by le.
                    let first = firstEntries[index]
                    let location = first.line.map { " at line \($0)" } ?? ""
                    guard let le, entry.kind == .histogram, first.kind == .histogram else {
                        throw entry.error("series", "the series is already given\(location)")
                    }
                    if buckets[index, default: []].contains(where: { $0.le == le }) {
                        throw entry.error("series", "the bucket le=\"\(formatBound(le))\" of \(identity.metric) is already given\(location)")
                    }
                    buckets[index, default: []].append((le, entry))
                    continue
                }
                indices[identity] = result.count
                firstEntries.append(entry)
                if let le {
                    buckets[result.count] = [(le, entry)]
                    result.append(InputSeries(metric: identity.metric, service: identity.service, attributes: identity.attributes, bounds: [], cumulativeCounts: [], line: entry.line))
                } else {
                    result.append(InputSeries(
                        metric: identity.metric, service: identity.service, attributes: identity.attributes, kind: entry.kind,
                        values: entry.values.map(\.number), line: entry.line))
                }
            }
            for index in buckets.keys.sorted() {
                let (bounds, counts) = try histogram(buckets[index, default: []].sorted { $0.le < $1.le }, metric: result[index].metric)
                result[index].bounds = bounds
                result[index].cumulativeCounts = counts
            }
            return result
        }

        /// The bounds and per-step cumulative counts of one histogram's buckets, sorted by `le`.
        private static func histogram(_ buckets: [(le: Double, entry: Raw)], metric: String) throws(ConfigurationError) -> ([Double], [[Double]?]) {
            guard let last = buckets.last, last.le == .infinity else {
                throw buckets[0].entry.error("series", "the histogram \(metric) has no bucket le=\"+Inf\": its count")
            }
            let steps = buckets.map(\.entry.values.count).max() ?? 0
            var counts: [[Double]?] = []
            counts.reserveCapacity(steps)
            for step in 0..<steps {
                let values = buckets.map { step < $0.entry.values.count ? $0.entry.values[step].number : nil }
                if values.allSatisfy({ $0 == nil }) {
                    counts.append(nil)
                    continue
                }
                if let missing = buckets.indices.first(where: { values[$0] == nil }) {
                    throw buckets[missing].entry.error("values", "the bucket le=\"\(formatBound(buckets[missing].le))\" of \(metric) has no value at step \(step), where other buckets have one")
                }
                let row = values.map { $0 ?? 0 }
                for index in row.indices.dropFirst() where row[index] < row[index - 1] {
                    throw buckets[index].entry.error("values", "at step \(step), the cumulative count of le=\"\(formatBound(buckets[index].le))\" (\(Threshold.format(row[index]))) is below that of le=\"\(formatBound(buckets[index - 1].le))\" (\(Threshold.format(row[index - 1])))")
                }
                counts.append(row)
            }
            return (buckets.dropLast().map(\.le), counts)
        }

        /// An `le` value: a number, or `+Inf`.
        static func parseBound(_ text: String) -> Double? {
            guard let value = Double(text.trimmingSpaces()), !value.isNaN, value != -.infinity else { return nil }
            return value
        }

        static func formatBound(_ value: Double) -> String {
            value == .infinity ? "+Inf" : Threshold.format(value)
        }
    }
}
