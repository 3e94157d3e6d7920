import VigilYAML

/// A rule over spans (`red:`): the request rate, error ratio or a latency quantile of the selected
/// spans over a window, compared with a threshold, per combination of the `by` labels.
///
/// ```yaml
/// red:
///   service: checkout
///   operation: [POST /checkout, GET /cart]
///   span_kind: server
///   matchers: ['http.route=~"/api/.*"']
///   measure: error_ratio
///   window: 5m
///   min_requests: 20
///   by: [service, operation]
///   threshold: '> 5%'
/// ```
public struct REDRule: Sendable, Hashable {
    /// What is measured over the window.
    public enum Measure: String, Sendable, Hashable, CaseIterable {
        /// Spans per second: the count over the window divided by its length in seconds.
        case rate
        /// Spans with status ERROR divided by all spans, 0...1.
        case errorRatio = "error_ratio"
        /// The ``REDRule/quantile`` of span durations, in seconds.
        case latency
    }

    /// The spans counted: `service`, `operation`, `span_kind` and `matchers`.
    public var spans: SpanSelector
    /// `measure`.
    public var measure: Measure
    /// The quantile for ``Measure/latency`` (0.99 is p99); `nil` for the other measures.
    public var quantile: Double?
    /// How far back from each evaluation the spans are counted; default 5 minutes.
    public var window: Duration
    /// Groups with fewer spans than this in the window give no result (avoids alerting on the
    /// error ratio of three requests); 0, the default, keeps every group with at least one span.
    public var minRequests: Int
    /// `by`: one result per combination of these labels' values; none means one result.
    public var by: [GroupingLabel]
    /// `threshold`: the condition on the measured value (seconds for latencies, 0...1 for ratios).
    public var threshold: Threshold

    /// The names `by:` understands besides attribute keys.
    public static let builtinGroupingKeys: [String: GroupingLabel.Source] = ["service": .service, "operation": .operation, "span_kind": .spanKind]

    /// A rule with the defaults of the YAML keys.
    public init(spans: SpanSelector, measure: Measure, quantile: Double? = nil, window: Duration = .seconds(300), minRequests: Int = 0, by: [GroupingLabel] = [], threshold: Threshold) {
        self.spans = spans
        self.measure = measure
        self.quantile = quantile
        self.window = window
        self.minRequests = minRequests
        self.by = by
        self.threshold = threshold
    }

    /// True when the per-minute RED rollups can answer the rule: no attribute matchers and
    /// grouping by service, operation and span kind only.
    public var canUseRollups: Bool {
        spans.canUseRollups && by.allSatisfy { if case .attribute = $0.source { false } else { true } }
    }

    static func parse(_ section: inout YAMLSection, _ context: RuleParsingContext) throws(ConfigurationError) -> RuleKind {
        let spans = try SpanSelector.parse(&section)
        let measureText = try section.requiredText("measure")
        guard let measure = Measure(rawValue: measureText) else {
            throw section.error("measure", "\"\(measureText)\" is not one of rate, error_ratio, latency")
        }
        let quantile = try section.number("quantile", in: 0...1)
        switch (measure, quantile) {
        case (.latency, nil): throw section.error("quantile", "is required with measure latency (0.99 for p99)")
        case (.rate, .some), (.errorRatio, .some): throw section.error("quantile", "only applies to measure latency")
        default: break
        }
        let window = try section.ruleDuration("window", atLeast: .seconds(60), wholeMinutes: true) ?? .seconds(300)
        var minRequests = 0
        try section.integer("min_requests", in: 0...Int(Int32.max)) { minRequests = $0 }
        let by = try section.groupingLabels("by", builtins: builtinGroupingKeys)
        let units: Threshold.Units = switch measure {
        case .rate: []
        case .errorRatio: .percent
        case .latency: .duration
        }
        let threshold = try section.threshold("threshold", units: units)
        return .red(REDRule(spans: spans, measure: measure, quantile: quantile, window: window, minRequests: minRequests, by: by, threshold: threshold))
    }
}
