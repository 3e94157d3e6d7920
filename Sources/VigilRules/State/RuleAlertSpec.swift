import VigilAlerting

/// What ``RuleAlertState`` needs to know about one alerting rule: Prometheus's `AlertingRule`
/// settings without its expression.
public struct RuleAlertSpec: Sendable, Hashable {
    /// The `alertname` label of every alert of the rule.
    public var alertName: String
    /// Labels added to every alert, over the series' own. Values are templates, rendered per series
    /// (`{{ $labels.service }}`); a value that renders empty removes the label, as in Prometheus.
    public var labels: LabelSet
    /// Annotation templates (`{{ $value | humanizePercentage }}`), rendered at every evaluation.
    public var annotations: LabelSet
    /// `for`: how long a series must keep appearing before its alert fires; zero fires at once.
    public var forDuration: Duration
    /// `keep_firing_for`: how long a firing alert keeps firing after its series is gone.
    public var keepFiringFor: Duration
    /// The alert's `generatorURL`, a template rendered like an annotation (so it can link to the
    /// series' service); "" when a template fails.
    public var generatorURL: String
    /// The server's external labels: `$externalLabels` in templates, and added to sent alerts
    /// that lack them (as Prometheus's notifier does).
    public var externalLabels: LabelSet
    /// The server's external URL: `$externalURL` and `{{ externalURL }}` in templates.
    public var externalURL: String
    /// The group's `limit`: when an evaluation leaves more pending and firing alerts than this,
    /// the evaluation fails and every alert of the rule is dropped; 0 means no limit.
    public var limit: Int

    /// A rule's settings; everything but the name defaults to Prometheus's defaults (no `for`, no
    /// `keep_firing_for`, no limit) or to nothing.
    public init(
        alertName: String,
        labels: LabelSet = [:],
        annotations: LabelSet = [:],
        forDuration: Duration = .zero,
        keepFiringFor: Duration = .zero,
        generatorURL: String = "",
        externalLabels: LabelSet = [:],
        externalURL: String = "",
        limit: Int = 0
    ) {
        self.alertName = alertName
        self.labels = labels
        self.annotations = annotations
        self.forDuration = forDuration
        self.keepFiringFor = keepFiringFor
        self.generatorURL = generatorURL
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.limit = limit
    }

    /// A template of the spec that cannot work, found by ``templateProblems(using:)``.
    public struct TemplateProblem: Sendable {
        /// `labels.<name>`, `annotations.<name>` or `generatorURL`.
        public var field: String
        /// Why the template cannot work, with its position.
        public var error: TemplateError
    }

    /// Every label, annotation and generator URL template that would fail each time it renders
    /// (syntax errors, unknown or query functions, impossible field accesses), in field order.
    /// Run it when rules are loaded: ``RuleAlertState`` still renders failing templates, as
    /// Prometheus does, writing the error into the label or annotation.
    public func templateProblems(using templates: TemplateSet) -> [TemplateProblem] {
        var fields: [(String, String)] = labels.map { ("labels.\($0.name)", $0.value) }
        fields += annotations.map { ("annotations.\($0.name)", $0.value) }
        fields.append(("generatorURL", generatorURL))
        var problems: [TemplateProblem] = []
        for (field, text) in fields {
            do {
                try templates.validateRuleTemplate(text, ruleName: alertName)
            } catch {
                problems.append(TemplateProblem(field: field, error: error))
            }
        }
        return problems
    }
}
