import VigilAlerting
import VigilYAML

/// A pipeline freshness rule (`no_data:`): alerts when spans, metric points or log records that
/// match stopped arriving for longer than ``absentFor``.
///
/// Without `by`, the rule alerts whenever nothing matched during the last `absent_for` (also when
/// nothing ever arrived). With `by`, it alerts for each label combination that had data during the
/// last `seen_within` but none during the last `absent_for`.
///
/// ```yaml
/// no_data:
///   signal: logs
///   service: [checkout, cart]
///   absent_for: 15m
///   by: [service]
/// ```
public struct NoDataRule: Sendable, Hashable {
    /// The kind of telemetry watched.
    public enum Signal: String, Sendable, Hashable, CaseIterable {
        case traces, metrics, logs
    }

    /// `signal`: what is watched.
    public var signal: Signal
    /// `service.name` values, exactly; empty means every service.
    public var services: [String]
    /// For ``Signal/metrics``: only this metric; `nil` for any metric (and for other signals).
    public var metric: String?
    /// Matchers on the item's or its resource's attributes.
    public var attributeMatchers: Matchers
    /// How long nothing may arrive before the rule alerts.
    public var absentFor: Duration
    /// With `by`: how far back a label combination must have been seen to be watched; default
    /// 24 hours. `nil` without `by`.
    public var seenWithin: Duration?
    /// `by`: one alert per combination of these labels' values; none means one alert.
    public var by: [GroupingLabel]

    /// The names `by:` understands besides attribute keys.
    public static let builtinGroupingKeys: [String: GroupingLabel.Source] = ["service": .service]
    /// `seen_within` when `by` is given and it is not.
    public static let defaultSeenWithin: Duration = .seconds(86_400)

    /// A rule with the defaults of the YAML keys (`seenWithin` is not defaulted here).
    public init(signal: Signal, services: [String] = [], metric: String? = nil, attributeMatchers: Matchers = [], absentFor: Duration, seenWithin: Duration? = nil, by: [GroupingLabel] = []) {
        self.signal = signal
        self.services = services
        self.metric = metric
        self.attributeMatchers = attributeMatchers
        self.absentFor = absentFor
        self.seenWithin = seenWithin
        self.by = by
    }

    static func parse(_ section: inout YAMLSection, _ context: RuleParsingContext) throws(ConfigurationError) -> RuleKind {
        let signalText = try section.requiredText("signal")
        guard let signal = Signal(rawValue: signalText) else {
            throw section.error("signal", "\"\(signalText)\" is not one of traces, metrics, logs")
        }
        let services = try section.oneOrMore("service") ?? []
        let metric = try section.scalar("metric")
        if metric != nil, signal != .metrics { throw section.error("metric", "only applies to signal metrics") }
        if let metric, metric.trimmingSpaces().isEmpty { throw section.error("metric", "must not be empty") }
        let matchers = try section.attributeMatchers("matchers")
        guard let absentFor = try section.ruleDuration("absent_for", atLeast: .seconds(60)) else {
            throw section.error("absent_for", "is required: how long nothing may arrive, such as 10m")
        }
        let by = try section.groupingLabels("by", builtins: builtinGroupingKeys)
        var seenWithin = try section.ruleDuration("seen_within", atLeast: .seconds(60))
        if seenWithin != nil, by.isEmpty {
            throw section.error("seen_within", "only applies with by (without by, the rule alerts whenever nothing arrives)")
        }
        if !by.isEmpty {
            seenWithin = seenWithin ?? defaultSeenWithin
            if let seenWithin, seenWithin <= absentFor {
                throw section.error("seen_within", "\(PrometheusDuration.format(seenWithin)) must be longer than absent_for (\(PrometheusDuration.format(absentFor)))")
            }
        }
        return .noData(NoDataRule(signal: signal, services: services, metric: metric, attributeMatchers: matchers, absentFor: absentFor, seenWithin: seenWithin, by: by))
    }
}
