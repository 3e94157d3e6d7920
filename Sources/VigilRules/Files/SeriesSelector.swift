import VigilAlerting
import VigilYAML

/// Which stored metric series a metric rule or a metric-based SLI reads: a metric name, and
/// optionally services and attribute matchers, all of which must match.
public struct SeriesSelector: Sendable, Hashable {
    /// The metric name, exactly (`http.server.request.duration`).
    public var metric: String
    /// `service.name` values of the series' resource, exactly; empty means every service.
    public var services: [String]
    /// Matchers on data point or resource attributes (compared as text, as for spans).
    public var attributeMatchers: Matchers

    /// Selects the series of `metric`, by default of every service.
    public init(metric: String, services: [String] = [], attributeMatchers: Matchers = []) {
        self.metric = metric
        self.services = services
        self.attributeMatchers = attributeMatchers
    }

    /// Reads `name` (required), `service` and `matchers`; `defaultService` applies when
    /// `service` is absent (an SLO's own service).
    static func parse(_ section: inout YAMLSection, defaultService: String? = nil) throws(ConfigurationError) -> SeriesSelector {
        let name = try section.requiredText("name")
        let services = try section.oneOrMore("service") ?? defaultService.map { [$0] } ?? []
        let matchers = try section.attributeMatchers("matchers")
        return SeriesSelector(metric: name, services: services, attributeMatchers: matchers)
    }
}
