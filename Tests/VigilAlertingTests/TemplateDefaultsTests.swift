import Foundation
import Testing
@testable import VigilAlerting

/// Alertmanager's default templates and data model. Expected strings are worked out from
/// `template/default.tmpl` by hand.
@Suite struct TemplateDefaultsTests {
    private func render(_ name: String, _ data: TemplateData) throws -> String {
        try TemplateSamples.render("{{ template \"\(name)\" . }}", data)
    }

    @Test func slackDefaultsForAFiringGroup() throws {
        let data = TemplateSamples.firing
        // Two firing alerts; common labels beyond the group label are job and severity.
        #expect(try render("slack.default.title", data) == "[FIRING:2] HighLatency (api page)")
        #expect(try render("slack.default.titlelink", data) == "https://alertmanager.example.com/#/alerts?receiver=team-ops")
        #expect(try render("slack.default.fallback", data) == "[FIRING:2] HighLatency (api page) | https://alertmanager.example.com/#/alerts?receiver=team-ops")
        #expect(try render("slack.default.username", data) == "Alertmanager")
        #expect(try render("email.default.subject", data) == "[FIRING:2] HighLatency (api page)")
        for empty in ["slack.default.text", "slack.default.pretext", "slack.default.iconemoji", "slack.default.iconurl", "slack.default.callbackid", "slack.default.footer", "__description"] {
            #expect(try render(empty, data) == "", "\(empty)")
        }
    }

    @Test func slackDefaultsForAResolvedGroup() throws {
        // All common labels are group labels: no parenthesis, but the space before it stays.
        #expect(try render("slack.default.title", TemplateSamples.resolved) == "[RESOLVED] DiskFull node ")
        #expect(try render("slack.default.fallback", TemplateSamples.resolved) == "[RESOLVED] DiskFull node  | https://alertmanager.example.com/#/alerts?receiver=team-ops")
    }

    @Test func textAlertListShowsLabelsAnnotationsAndSource() throws {
        let expected = """
            Labels:
             - alertname = HighLatency
             - instance = a:9090
             - job = api
             - severity = page
            Annotations:
             - summary = Latency is high on a
            Source: http://prometheus:9090/graph?g0.expr=1
            Labels:
             - alertname = HighLatency
             - instance = b:9090
             - job = api
             - severity = page
            Annotations:
             - summary = Latency is high on b
            Source: http://prometheus:9090/graph?g0.expr=2

            """
        #expect(try TemplateSamples.render(#"{{ template "__text_alert_list" .Alerts.Firing }}"#) == expected)
    }

    @Test func receiverIsRegexpQuotedAndURLEscaped() throws {
        let data = TemplateData.make(receiverName: "team.ops (eu)", groupLabels: [:], alerts: [], externalURL: "http://am:9093")
        #expect(data.receiver == #"team\.ops \(eu\)"#)
        #expect(try render("__alertmanagerURL", data) == "http://am:9093/#/alerts?receiver=team%5C.ops+%5C%28eu%5C%29")
    }

    @Test func makeDerivesStatusAndCommonLabels() {
        let data = TemplateSamples.firing
        #expect(data.status == "firing")
        #expect(data.commonLabels == ["alertname": "HighLatency", "job": "api", "severity": "page"])
        #expect(data.commonAnnotations.isEmpty)
        #expect(TemplateSamples.resolved.status == "resolved")
        #expect(TemplateSamples.resolved.commonAnnotations == ["summary": "Disk is full"])
        // Go reads a missing key as "", so an empty value stays common.
        let quiet = TemplateData.make(receiverName: "r", groupLabels: [:], alerts: [
            TemplateAlert(status: "resolved", labels: ["a": "1"], annotations: ["note": ""], startsAt: TemplateSamples.start),
            TemplateAlert(status: "resolved", labels: ["a": "2"], startsAt: TemplateSamples.start),
        ], externalURL: "")
        #expect(quiet.commonLabels.isEmpty)
        #expect(quiet.commonAnnotations == ["note": ""])
    }

    @Test(arguments: [
        ("{{ .Receiver }}|{{ .Status }}|{{ .ExternalURL }}", "team-ops|firing|https://alertmanager.example.com"),
        ("{{ .Alerts.Firing | len }}/{{ .Alerts.Resolved | len }}/{{ len .Alerts }}", "2/0/2"),
        ("{{ .CommonLabels.alertname }}|{{ .CommonLabels.missing }}|", "HighLatency||"),
        ("{{ index .CommonLabels \"job\" }}|{{ index .CommonLabels \"missing\" }}|", "api||"),
        ("{{ range .Alerts }}{{ .Annotations.summary }}; {{ end }}", "Latency is high on a; Latency is high on b; "),
        ("{{ range .Alerts.Firing }}{{ .Fingerprint }} {{ end }}", "00000000000000a1 00000000000000a2 "),
        ("{{ .CommonLabels }}", "alertname=HighLatency, job=api, severity=page"),
        ("{{ .CommonLabels.SortedPairs }}", "alertname=HighLatency, job=api, severity=page"),
        ("{{ .CommonLabels.Names }}|{{ .CommonLabels.Values }}", "[alertname job severity]|[HighLatency api page]"),
        ("{{ .CommonLabels.Remove (stringSlice \"job\") }}", "alertname=HighLatency, severity=page"),
        ("{{ range .CommonLabels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}", "alertname=HighLatency;job=api;severity=page;"),
        ("{{ (index .Alerts 0).StartsAt }}", "2024-01-02 03:04:05.123 +0000 UTC"),
        ("{{ (index .Alerts 0).EndsAt }}", "0001-01-01 00:00:00 +0000 UTC"),
        ("{{ (index .Alerts 0).StartsAt.Format \"Mon Jan _2 15:04:05 2006\" }}", "Tue Jan  2 03:04:05 2024"),
        ("{{ (index .Alerts 0).StartsAt.Unix }}", "1704164645"),
        ("{{ index .Alerts.Firing 0 | printf \"%v\" }}",
         "{firing alertname=HighLatency, instance=a:9090, job=api, severity=page summary=Latency is high on a 2024-01-02 03:04:05.123 +0000 UTC 0001-01-01 00:00:00 +0000 UTC http://prometheus:9090/graph?g0.expr=1 00000000000000a1}"),
    ])
    func dataModel(template: String, expected: String) throws {
        #expect(try TemplateSamples.render(template) == expected)
    }

    @Test func sortedPairsPutAlertnameFirst() throws {
        let alert = TemplateAlert(status: "firing", labels: ["zone": "z", "alertname": "A", "app": "b"], startsAt: TemplateSamples.start)
        let data = TemplateData.make(receiverName: "r", groupLabels: [:], alerts: [alert], externalURL: "")
        let text = "{{ range .Alerts }}{{ range .Labels.SortedPairs }}{{ .Name }} {{ end }}{{ end }}|{{ range $k, $v := .CommonLabels }}{{ $k }} {{ end }}"
        // SortedPairs puts alertname first; ranging over the map itself is in plain key order.
        #expect(try TemplateSamples.render(text, data) == "alertname app zone |alertname app zone ")
        let other = TemplateData.make(receiverName: "r", groupLabels: [:], alerts: [
            TemplateAlert(status: "firing", labels: ["zone": "z", "alertname": "A", "Zebra": "c"], startsAt: TemplateSamples.start),
        ], externalURL: "")
        #expect(try TemplateSamples.render(text, other) == "alertname Zebra zone |Zebra alertname zone ")
    }

    @Test func defaultTemplateNamesAreAllDefined() throws {
        let set = try TemplateSet(files: [])
        for name in TemplateDefaults.names {
            #expect(set.templateNames.contains(name), "\(name)")
            try set.validate("{{ template \"\(name)\" . }}")
        }
    }
}
