import VigilYAML

/// What an SLO counts as good and as all events (`slo.sli`): spans of the SLO's service, or
/// metric series.
public enum ServiceLevelIndicator: Sendable, Hashable {
    /// `availability`: spans are good unless they are errors (``SpanErrors``).
    case availability(spans: SpanSelector, errors: SpanErrors)
    /// `latency`: spans are good when their duration is at most `threshold`.
    case latency(spans: SpanSelector, threshold: Duration)
    /// `metric` with `good`/`errors` and `total`: two counters' increases.
    case metricRatio(MetricRatio)
    /// `metric` with `histogram` and `threshold`: observations in the buckets whose upper bound
    /// is at most `threshold` (in the metric's unit) are good, all observations are the total.
    case metricHistogram(series: SeriesSelector, threshold: Double)

    /// Which spans are errors for an availability SLI.
    public enum SpanErrors: Sendable, Hashable {
        /// Spans with status ERROR (the default).
        case statusError
        /// Spans whose attribute `key` (of the span or its resource) holds a number of at least
        /// `value`, such as `http.response.status_code` ≥ 500. Spans without it are good.
        case attributeAtLeast(key: String, value: Double)
    }

    /// Two counters (monotonic sums) read as increases over each window, as the `increase`
    /// measure of metric rules reads them.
    public struct MetricRatio: Sendable, Hashable {
        /// What the first counter counts.
        public enum Counts: String, Sendable, Hashable {
            /// Good events: the error ratio is `1 - good / total`.
            case good
            /// Bad events: the error ratio is `errors / total`.
            case errors
        }

        /// Whether ``counted`` counts good or bad events.
        public var counts: Counts
        /// `good` or `errors`: the counter of good or bad events.
        public var counted: SeriesSelector
        /// `total`: the counter of all events.
        public var total: SeriesSelector

        /// Two counters as written under `sli.metric`.
        public init(counts: Counts, counted: SeriesSelector, total: SeriesSelector) {
            self.counts = counts
            self.counted = counted
            self.total = total
        }
    }

    /// The spans the SLI reads, for span-based SLIs.
    public var spans: SpanSelector? {
        switch self {
        case .availability(let spans, _), .latency(let spans, _): spans
        case .metricRatio, .metricHistogram: nil
        }
    }

    /// True for span SLIs the per-minute RED rollups can answer (no attribute matchers, errors by
    /// status). Others read the spans, which are only kept for `storage.retention`.
    public var canUseRollups: Bool {
        switch self {
        case .availability(let spans, .statusError), .latency(let spans, _): spans.canUseRollups
        case .availability, .metricRatio, .metricHistogram: false
        }
    }

    /// The YAML key of the SLI: `availability`, `latency` or `metric`.
    public var key: String {
        switch self {
        case .availability: "availability"
        case .latency: "latency"
        case .metricRatio, .metricHistogram: "metric"
        }
    }

    // MARK: Parsing

    static let keys = ["availability", "latency", "metric"]

    /// Reads the `sli` mapping of an SLO of `service`.
    static func parse(_ section: inout YAMLSection, service: String) throws(ConfigurationError) -> ServiceLevelIndicator {
        let present = section.keys.filter { keys.contains($0) }
        guard let key = present.first else {
            throw ConfigurationError(file: section.file, line: section.line, key: section.path, reason: "needs one of availability, latency, metric")
        }
        if present.count > 1 { throw section.error(present[1], "an SLI has exactly one of availability, latency, metric, and \(key) is already given") }
        var result: ServiceLevelIndicator?
        try section.section(key) { (child: inout YAMLSection) throws(ConfigurationError) in
            switch key {
            case "availability": result = try parseAvailability(&child, service: service)
            case "latency": result = try parseLatency(&child, service: service)
            default: result = try parseMetric(&child, service: service)
            }
        }
        guard let result else { throw section.error(key, "must not be empty") }
        return result
    }

    private static func parseAvailability(_ section: inout YAMLSection, service: String) throws(ConfigurationError) -> ServiceLevelIndicator {
        let spans = try SpanSelector.parse(&section, fixedService: service)
        var errors = SpanErrors.statusError
        try section.section("errors") { (child: inout YAMLSection) throws(ConfigurationError) in
            let key = try child.requiredText("attribute")
            guard let value = try child.number("at_least") else {
                throw child.error("at_least", "is required: spans whose \(key) is at least this number are errors")
            }
            errors = .attributeAtLeast(key: key, value: value)
        }
        return .availability(spans: spans, errors: errors)
    }

    private static func parseLatency(_ section: inout YAMLSection, service: String) throws(ConfigurationError) -> ServiceLevelIndicator {
        let spans = try SpanSelector.parse(&section, fixedService: service)
        guard let threshold = try section.ruleDuration("threshold") else {
            throw section.error("threshold", "is required: spans at most this long are good, such as 300ms")
        }
        guard threshold > .zero else { throw section.error("threshold", "must be longer than 0") }
        return .latency(spans: spans, threshold: threshold)
    }

    private static func parseMetric(_ section: inout YAMLSection, service: String) throws(ConfigurationError) -> ServiceLevelIndicator {
        let present = section.keys.filter { ["good", "errors", "histogram"].contains($0) }
        guard let key = present.first else {
            throw ConfigurationError(file: section.file, line: section.line, key: section.path, reason: "needs good and total, errors and total, or histogram and threshold")
        }
        if present.count > 1 { throw section.error(present[1], "cannot be given with \(key)") }
        var counted: SeriesSelector?
        try section.section(key) { (child: inout YAMLSection) throws(ConfigurationError) in
            counted = try SeriesSelector.parse(&child, defaultService: service)
        }
        guard let counted else { throw section.error(key, "must not be empty") }
        if key == "histogram" {
            if section.keys.contains("total") { throw section.error("total", "does not apply to histogram: the histogram's count is the total") }
            guard let threshold = try section.number("threshold") else {
                throw section.error("threshold", "is required with histogram: observations at most this value are good")
            }
            return .metricHistogram(series: counted, threshold: threshold)
        }
        if section.keys.contains("threshold") { throw section.error("threshold", "only applies to histogram") }
        var total: SeriesSelector?
        try section.section("total") { (child: inout YAMLSection) throws(ConfigurationError) in
            total = try SeriesSelector.parse(&child, defaultService: service)
        }
        guard let total else { throw section.error("total", "is required with \(key): the counter of all events") }
        return .metricRatio(MetricRatio(counts: key == "good" ? .good : .errors, counted: counted, total: total))
    }
}
