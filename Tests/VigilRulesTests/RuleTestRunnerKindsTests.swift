import Testing
@testable import VigilRules

/// Full runs of test files for SLOs, no-data rules, metric rules and metric SLIs, with the
/// expected alerts worked out by hand.
@Suite struct RuleTestRunnerKindsTests {
    static func sloRules(summary: String) -> String {
        """
        groups:
          - name: slos
            rules:
              - alert: CheckoutBudgetBurn
                slo:
                  name: checkout-availability
                  service: checkout
                  objective: 99
                  sli:
                    availability:
                      errors: {attribute: http.response.status_code, at_least: 500}
                  alerting:
                    ticket: {enabled: false}
                annotations:
                  summary: '\(summary)'
        """
    }

    /// Every minute: 9 answers 200, one 503, and 5 answers 404 that the client instrumentation
    /// marked as errors.
    static func sloTest(checks: String) -> String {
        """
        rule_files: [slos.yaml]
        tests:
          - name: availability
            input_spans:
              - {service: checkout, operation: POST /checkout, attributes: {http.response.status_code: 200}, count: '9x30'}
              - {service: checkout, operation: POST /checkout, attributes: {http.response.status_code: 503}, count: '1x30'}
              - {service: checkout, operation: GET /cart, status: error, attributes: {http.response.status_code: 404}, count: '5x30'}
            alert_rule_test:
        \(checks.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
        """
    }

    @Test func aSpanAvailabilitySLOBurnsItsBudgetPerWindow() async throws {
        // Only the 503 is bad by the SLI's attribute rule: 1 in 15, an error ratio of 0.0667 and a
        // burn rate of 0.0667 / 0.01 = 6.67 in every window (the data starts at 0). That is above
        // the 6h window's threshold (6) and below the 1h window's (14.4), so only the 6h page
        // alert fires, from the first evaluation on. (By status, 6 in 15 would burn 40x and fire
        // both.)
        //
        // Evidence: the bad spans of the short window (30m), newest first: the 503s (second entry)
        // that ended at minutes 10, 9, 8, 7 and 6.
        let traces = (6...10).reversed().map { InMemoryRuleDataSource.traceID(entry: 2, step: $0, span: 1) }.joined(separator: ",")
        let test = Self.sloTest(checks: """
            - eval_time: 0m
              alertname: CheckoutBudgetBurn
              exp_alerts:
                - exp_labels: {slo: checkout-availability, service: checkout, severity: page, window: 6h}
                  exp_annotations: {summary: error budget burning 6.667x too fast}
            - eval_time: 10m
              alertname: CheckoutBudgetBurn
              exp_alerts:
                - exp_labels: {slo: checkout-availability, service: checkout, severity: page, window: 6h}
                  exp_annotations:
                    summary: error budget burning 6.667x too fast
                    trace_ids: '\(traces)'
            """)
        let rules = Self.sloRules(summary: "error budget burning {{ $value | humanize }}x too fast")
        #expect(try await RuleTestHarness.failures(test, rules: ["slos.yaml": rules]) == [])
    }

    @Test func sloTemplatesSeeTheSLOsLabels() async throws {
        // docs/rules.md: `$labels` holds "the SLO's labels" in SLO templates, and docs/slos.md's
        // example summary starts with `{{ $labels.slo }}`.
        let test = Self.sloTest(checks: """
            - eval_time: 0m
              alertname: CheckoutBudgetBurn
              exp_alerts:
                - exp_labels: {slo: checkout-availability, service: checkout, severity: page, window: 6h}
                  exp_annotations: {summary: checkout-availability burns on checkout over 6h}
            """)
        let rules = Self.sloRules(summary: "{{ $labels.slo }} burns on {{ $labels.service }} over {{ $labels.window }}")
        let failures = try await RuleTestHarness.failures(test, rules: ["slos.yaml": rules])
        #expect(failures == [])
    }

    @Test func noDataRulesAlertWhenSpansOrLogsStop() async throws {
        let rules = """
            groups:
              - name: freshness
                rules:
                  - alert: CheckoutTracesStopped
                    no_data: {signal: traces, service: checkout, absent_for: 5m}
                    annotations:
                      summary: 'no checkout spans for {{ $value | humanizeDuration }}'
                  - alert: PaymentsTracesStopped
                    no_data: {signal: traces, service: payments, absent_for: 5m}
                    annotations:
                      summary: 'no payments spans for {{ $value | humanizeDuration }}'
                  - alert: LogsStopped
                    no_data: {signal: logs, absent_for: 5m, by: [service]}
            """
        // Checkout's spans end every minute from 0 to 10m; the last starts at 9m59.9s. At 14m it
        // is 240.1s old, at 15m 300.1s: more than absent_for (humanizeDuration drops the
        // fraction). Payments never sent a span: its age is +Inf from the start.
        // Checkout's logs stop after 3m: 300s old at 8m (not more than 5m), 360s at 9m; cart's
        // logs keep coming.
        let test = """
            rule_files: [freshness.yaml]
            tests:
              - name: freshness
                input_spans:
                  - {service: checkout, count: '1x10'}
                input_logs:
                  - {service: cart, count: '1x20'}
                  - {service: checkout, count: '1x3'}
                alert_rule_test:
                  - {eval_time: 0m, alertname: CheckoutTracesStopped}
                  - {eval_time: 14m, alertname: CheckoutTracesStopped}
                  - eval_time: 15m
                    alertname: CheckoutTracesStopped
                    exp_alerts:
                      - exp_annotations: {summary: no checkout spans for 5m 0s}
                  - eval_time: 0m
                    alertname: PaymentsTracesStopped
                    exp_alerts:
                      - exp_annotations: {summary: no payments spans for +Inf}
                  - {eval_time: 8m, alertname: LogsStopped}
                  - eval_time: 9m
                    alertname: LogsStopped
                    exp_alerts:
                      - exp_labels: {service: checkout}
            """
        #expect(try await RuleTestHarness.failures(test, rules: ["freshness.yaml": rules]) == [])
    }

    static let metricRules = """
        groups:
          - name: metrics
            rules:
              - alert: OrdersQueueDeep
                metric: {name: messaging.queue.depth, measure: value, aggregate: max, by: [service], threshold: '> 1000'}
                for: 2m
                annotations:
                  summary: 'queue at {{ $value }}'
              - alert: CheckoutServerErrors
                metric:
                  name: http_requests_total
                  service: checkout
                  matchers: ['code=~"5.."']
                  measure: increase
                  window: 5m
                  threshold: '> 100'
                annotations:
                  summary: '{{ $value | humanize }} server errors in 5 minutes'
              - alert: CheckoutSlow
                metric:
                  name: http.server.request.duration
                  service: checkout
                  measure: quantile
                  quantile: 0.95
                  window: 5m
                  threshold: '> 0.5'
                annotations:
                  summary: 'p95 {{ $value | humanize }}s'
              - alert: APIBudgetBurn
                slo:
                  name: api-availability
                  service: api
                  objective: 99
                  sli:
                    metric:
                      errors: {name: http.server.requests.failed}
                      total: {name: http.server.requests}
                  alerting:
                    ticket: {enabled: false}
                annotations:
                  summary: 'burn rate {{ $value | humanize }}'
        """

    @Test func metricRulesReadGaugesCountersAndHistograms() async throws {
        // Queue depth 900, 950, 1000, 1050 (3m), …: above 1000 from 3m, firing after 2m at 5m
        // with the latest value, 1150.
        //
        // The 500s counter climbs by 30 a minute to 300 at 10m, restarts at 0 at 11m and climbs
        // again. At 3m the window holds the points of 0-3m, the first being the baseline: 90. At
        // 13m the baseline is 8m (240), then 270, 300, 0 (a reset: counts 0), 30, 60: 30 + 30 + 0
        // + 30 + 30 = 120, above 100. The 404s and cart's 500s are not selected.
        //
        // The duration histogram gets, every minute, 8 observations up to 0.1s, 1 in (0.1, 0.5]
        // and 1 in (0.5, 1]. Over 5 minutes: 40, 5, 5 of 50. The p95 is the 47.5th: 2.5 into the
        // 5 of (0.5, 1], so 0.5 + 0.5 × 2.5 / 5 = 0.75.
        let test = """
            rule_files: [metrics.yaml]
            tests:
              - name: metrics
                input_series:
                  - {series: 'messaging.queue.depth{service="orders", messaging.destination.name="orders"}', values: '900+50x10'}
                  - {series: 'http_requests_total{service="checkout", code="500"}', type: counter, values: '0+30x10 0+30x10'}
                  - {series: 'http_requests_total{service="checkout", code="404"}', type: counter, values: '0+100x21'}
                  - {series: 'http_requests_total{service="cart", code="500"}', type: counter, values: '0+100x21'}
                  - {series: 'http.server.request.duration_bucket{service="checkout", le="0.1"}', type: histogram_bucket, values: '0+8x20'}
                  - {series: 'http.server.request.duration_bucket{service="checkout", le="0.5"}', type: histogram_bucket, values: '0+9x20'}
                  - {series: 'http.server.request.duration_bucket{service="checkout", le="1"}', type: histogram_bucket, values: '0+10x20'}
                  - {series: 'http.server.request.duration_bucket{service="checkout", le="+Inf"}', type: histogram_bucket, values: '0+10x20'}
                alert_rule_test:
                  - {eval_time: 4m, alertname: OrdersQueueDeep}
                  - eval_time: 5m
                    alertname: OrdersQueueDeep
                    exp_alerts:
                      - exp_labels: {service: orders}
                        exp_annotations: {summary: queue at 1150}
                  - {eval_time: 3m, alertname: CheckoutServerErrors}
                  - eval_time: 13m
                    alertname: CheckoutServerErrors
                    exp_alerts:
                      - exp_annotations: {summary: 120 server errors in 5 minutes}
                  - eval_time: 10m
                    alertname: CheckoutSlow
                    exp_alerts:
                      - exp_annotations: {summary: p95 750ms}
            """
        #expect(try await RuleTestHarness.failures(test, rules: ["metrics.yaml": Self.metricRules]) == [])
    }

    @Test func aMetricSLIBurnsItsBudgetFromTwoCounters() async throws {
        // 100 requests and 10 failures a minute: an error ratio of 0.1 over any window, a burn rate
        // of 10. Above the 6h window's 6, below the 1h window's 14.4.
        let test = """
            rule_files: [metrics.yaml]
            tests:
              - name: metric SLI
                input_series:
                  - {series: 'http.server.requests{service="api"}', type: counter, values: '0+100x60'}
                  - {series: 'http.server.requests.failed{service="api"}', type: counter, values: '0+10x60'}
                alert_rule_test:
                  - eval_time: 10m
                    alertname: APIBudgetBurn
                    exp_alerts:
                      - exp_labels: {slo: api-availability, service: api, severity: page, window: 6h}
                        exp_annotations: {summary: burn rate 10}
            """
        #expect(try await RuleTestHarness.failures(test, rules: ["metrics.yaml": Self.metricRules]) == [])
    }
}
