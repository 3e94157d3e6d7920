import Metrics

/// The rules engine's self-metrics, named after Prometheus's rule manager metrics (`vigil_`
/// instead of `prometheus_`).
struct RulesMetrics: Sendable {
    private let leader = Gauge(label: "vigil_rules_leader")
    private let evaluations = Counter(label: "vigil_rule_evaluations_total")
    private let failures = Counter(label: "vigil_rule_evaluation_failures_total")
    private let groupDuration = Metrics.Timer(label: "vigil_rule_group_duration_seconds")
    private let sent = Counter(label: "vigil_rule_alerts_sent_total")

    /// 1 while this process evaluates rules, 0 while another does.
    func setLeader(_ isLeader: Bool) {
        leader.record(isLeader ? 1 : 0)
    }

    /// One group evaluation: its units, how many failed, its duration and the alerts it sent.
    func groupEvaluated(units: Int, failed: Int, seconds: Double, alertsSent: Int) {
        evaluations.increment(by: units)
        if failed > 0 { failures.increment(by: failed) }
        groupDuration.recordNanoseconds(Int64(seconds * 1e9))
        if alertsSent > 0 { sent.increment(by: alertsSent) }
    }
}
