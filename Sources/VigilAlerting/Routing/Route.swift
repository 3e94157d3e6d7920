/// A node of the routing tree with its options resolved (inherited from its parent where the
/// configuration leaves them unset), as Alertmanager's `dispatch.Route`.
public final class Route: Sendable {
    /// The options a route applies to the alerts it takes.
    public struct Options: Sendable, Equatable {
        public var receiver: String
        public var groupBy: Set<String>
        public var groupByAll: Bool
        public var groupWait: Duration
        public var groupInterval: Duration
        public var repeatInterval: Duration
        public var muteTimeIntervals: [String]
        public var activeTimeIntervals: [String]

        /// Alertmanager's defaults for the root: 30s, 5m and 4h, no grouping labels.
        public static let defaults = Options(
            receiver: "", groupBy: [], groupByAll: false, groupWait: .seconds(30), groupInterval: .seconds(300),
            repeatInterval: .seconds(14_400), muteTimeIntervals: [], activeTimeIntervals: [])
    }

    public let options: Options
    /// Sorted by name, then value, then operator (Alertmanager sorts them so keys are stable).
    public let matchers: Matchers
    public let `continue`: Bool
    public let routes: [Route]
    /// The path of matcher sets from the root (`{}/{team="a"}`); the first part of group keys.
    public let key: String
    /// ``key`` plus the position among siblings, unique in the tree (`{}/{team="a"}/0`).
    public let id: String

    /// Builds the tree from the root of the configuration.
    public convenience init(root config: RouteConfig) {
        self.init(config: config, parent: nil, index: 0)
    }

    private init(config: RouteConfig, parent: (key: String, id: String, options: Options)?, index: Int) {
        var options = parent?.options ?? .defaults
        if let receiver = config.receiver, !receiver.isEmpty { options.receiver = receiver }
        if let groupBy = config.groupBy {
            options.groupBy = Set(groupBy)
            options.groupByAll = false
        } else if config.groupByAll {
            options.groupByAll = true
        }
        if let wait = config.groupWait { options.groupWait = wait }
        if let interval = config.groupInterval { options.groupInterval = interval }
        if let interval = config.repeatInterval { options.repeatInterval = interval }
        options.muteTimeIntervals = config.muteTimeIntervals
        options.activeTimeIntervals = config.activeTimeIntervals
        self.options = options
        let sorted = Matchers(config.matchers).sorted()
        self.matchers = sorted
        self.continue = config.continue
        let key = parent.map { "\($0.key)/\(sorted)" } ?? "\(sorted)"
        let id = parent.map { "\($0.id)/\(sorted)/\(index)" } ?? "\(sorted)"
        self.key = key
        self.id = id
        self.routes = config.routes.enumerated().map { index, child in
            Route(config: child, parent: (key, id, options), index: index)
        }
    }

    /// The routes that take `labels`, depth first: a matching node's children are tried in
    /// order and the walk stops after the first matching child without `continue`; a matching
    /// node none of whose children match is itself the result.
    public func match(_ labels: LabelSet) -> [Route] {
        guard matchers.matches(labels) else { return [] }
        var all: [Route] = []
        for child in routes {
            let matches = child.match(labels)
            all += matches
            if !matches.isEmpty, !child.continue { break }
        }
        return all.isEmpty ? [self] : all
    }

    /// The labels of `labels` that this route groups by.
    public func groupLabels(of labels: LabelSet) -> LabelSet {
        options.groupByAll ? labels : labels.subset(options.groupBy.sorted())
    }
}
