import VigilYAML

/// A rule over stored metric series (`metric:`): a gauge's value, a counter's rate or increase,
/// or a histogram quantile over a window, aggregated across the matching series per combination
/// of the `by` labels, compared with a threshold.
///
/// ```yaml
/// metric:
///   name: http.server.active_requests
///   service: checkout
///   matchers: ['http.request.method="POST"']
///   measure: value
///   aggregate: max
///   by: [service]
///   threshold: '> 200'
/// ```
public struct MetricRule: Sendable, Hashable {
    /// What is read from each series.
    public enum Measure: String, Sendable, Hashable, CaseIterable {
        /// The value of the series' latest point in the window (gauges and sums).
        case value
        /// A monotonic sum's increase over the window divided by its length in seconds.
        case rate
        /// A monotonic sum's increase over the window: cumulative series as the difference of
        /// their values (a drop is a counter reset, counted from zero), delta series as the sum of
        /// their points.
        case increase
        /// ``MetricRule/quantile`` of a histogram's observations in the window, from the bucket
        /// counts added over the window and across the series of a group.
        case quantile
    }

    /// How the series' values are combined into one per group.
    public enum Aggregation: String, Sendable, Hashable, CaseIterable {
        case sum, avg, min, max, count
    }

    /// The series read: `name`, `service` and `matchers`.
    public var series: SeriesSelector
    /// `measure`.
    public var measure: Measure
    /// The quantile for ``Measure/quantile``; `nil` for the other measures.
    public var quantile: Double?
    /// How far back from each evaluation points are read; default 5 minutes.
    public var window: Duration
    /// Default `sum`. With ``Measure/quantile`` the bucket counts are always added (`sum`).
    public var aggregation: Aggregation
    /// `by`: one result per combination of these labels' values; none means one result.
    public var by: [GroupingLabel]
    /// `threshold`: the condition on the aggregated value, in the metric's unit.
    public var threshold: Threshold

    /// The names `by:` understands besides attribute keys.
    public static let builtinGroupingKeys: [String: GroupingLabel.Source] = ["service": .service]

    /// A rule with the defaults of the YAML keys.
    public init(series: SeriesSelector, measure: Measure, quantile: Double? = nil, window: Duration = .seconds(300), aggregation: Aggregation = .sum, by: [GroupingLabel] = [], threshold: Threshold) {
        self.series = series
        self.measure = measure
        self.quantile = quantile
        self.window = window
        self.aggregation = aggregation
        self.by = by
        self.threshold = threshold
    }

    static func parse(_ section: inout YAMLSection, _ context: RuleParsingContext) throws(ConfigurationError) -> RuleKind {
        let series = try SeriesSelector.parse(&section)
        let measureText = try section.requiredText("measure")
        guard let measure = Measure(rawValue: measureText) else {
            throw section.error("measure", "\"\(measureText)\" is not one of value, rate, increase, quantile")
        }
        let quantile = try section.number("quantile", in: 0...1)
        if measure == .quantile, quantile == nil { throw section.error("quantile", "is required with measure quantile (0.99 for p99)") }
        if measure != .quantile, quantile != nil { throw section.error("quantile", "only applies to measure quantile") }
        let window = try section.ruleDuration("window", atLeast: .seconds(1)) ?? .seconds(300)
        var aggregation = Aggregation.sum
        if let text = try section.scalar("aggregate") {
            guard let parsed = Aggregation(rawValue: text) else {
                throw section.error("aggregate", "\"\(text)\" is not one of sum, avg, min, max, count")
            }
            guard measure != .quantile || parsed == .sum else {
                throw section.error("aggregate", "a quantile adds the histograms' buckets; only sum applies")
            }
            aggregation = parsed
        }
        let by = try section.groupingLabels("by", builtins: builtinGroupingKeys)
        let threshold = try section.threshold("threshold", units: [])
        return .metric(MetricRule(series: series, measure: measure, quantile: quantile, window: window, aggregation: aggregation, by: by, threshold: threshold))
    }
}
