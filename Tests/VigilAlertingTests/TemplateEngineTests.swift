import Foundation
import Testing
@testable import VigilAlerting

/// Notification data shared by the template tests.
enum TemplateSamples {
    /// 2024-01-02 03:04:05.123 UTC.
    static let start = Date(timeIntervalSince1970: 1_704_164_645.123)

    static func alert(_ status: String, labels: [String: String], summary: String, suffix: String) -> TemplateAlert {
        TemplateAlert(
            status: status, labels: labels, annotations: ["summary": summary], startsAt: start,
            endsAt: status == "resolved" ? start.addingTimeInterval(1800) : nil,
            generatorURL: "http://prometheus:9090/graph?g0.expr=\(suffix)", fingerprint: "00000000000000a\(suffix)")
    }

    /// Two firing HighLatency alerts (instances a and b), grouped by alertname.
    static let firing = TemplateData.make(
        receiverName: "team-ops",
        groupLabels: ["alertname": "HighLatency"],
        alerts: [
            alert("firing", labels: ["alertname": "HighLatency", "job": "api", "severity": "page", "instance": "a:9090"], summary: "Latency is high on a", suffix: "1"),
            alert("firing", labels: ["alertname": "HighLatency", "job": "api", "severity": "page", "instance": "b:9090"], summary: "Latency is high on b", suffix: "2"),
        ],
        externalURL: "https://alertmanager.example.com")

    /// One resolved DiskFull alert, grouped by alertname and job.
    static let resolved = TemplateData.make(
        receiverName: "team-ops",
        groupLabels: ["alertname": "DiskFull", "job": "node"],
        alerts: [alert("resolved", labels: ["alertname": "DiskFull", "job": "node"], summary: "Disk is full", suffix: "3")],
        externalURL: "https://alertmanager.example.com")

    static func render(_ text: String, _ data: TemplateData = firing, files: [(name: String, text: String)] = []) throws -> String {
        let set = try TemplateSet(files: files)
        try set.validate(text)
        return try set.render(text, data: data)
    }
}

@Suite struct TemplateEngineTests {
    @Test(arguments: [
        ("a  {{- 1 -}}  b", "a1b"),
        ("a {{ 1 }} b", "a 1 b"),
        ("a{{/* comment */}}b", "ab"),
        ("a  {{- /* comment */ -}}  b", "ab"),
        ("x\n{{- if true }}\n  y\n{{- end }}\n", "x\n  y\n"),
        ("{{-3}}", "-3"),
        ("{{ `raw\\n` }}|{{ \"tab\\there\" }}", "raw\\n|tab\there"),
    ])
    func trimMarkersCommentsAndLiterals(template: String, expected: String) throws {
        #expect(try TemplateSamples.render(template) == expected)
    }

    @Test(arguments: [
        ("{{ .Status | toUpper }}", "FIRING"),
        ("{{ \"a\" | printf \"%s-%s\" \"b\" }}", "b-a"),
        ("{{ .GroupLabels.SortedPairs.Values | join \" \" | toLower }}", "highlatency"),
        ("{{ (len .Alerts) }}", "2"),
        ("{{ .CommonLabels.Names | len | printf \"%03d\" }}", "003"),
        ("{{ .GroupLabels.Names | .CommonLabels.Remove }}", "job=api, severity=page"),
        ("{{ (index .Alerts 1).Labels.instance }}", "b:9090"),
        ("{{ 'a' }} {{ 0x1F }} {{ 1e3 }} {{ 017 }} {{ 1_000 }}", "97 31 1000 15 1000"),
    ])
    func pipelines(template: String, expected: String) throws {
        #expect(try TemplateSamples.render(template) == expected)
    }

    @Test(arguments: [
        ("{{ range .Alerts }}{{ .Labels.instance }};{{ end }}", "a:9090;b:9090;"),
        ("{{ range $i, $a := .Alerts }}{{ if $i }}, {{ end }}{{ $i }}:{{ $a.Labels.instance }}{{ end }}", "0:a:9090, 1:b:9090"),
        ("{{ range $k, $v := .CommonLabels }}{{ $k }}={{ $v }} {{ end }}", "alertname=HighLatency job=api severity=page "),
        ("{{ range .CommonLabels }}{{ . }} {{ end }}", "HighLatency api page "),
        ("{{ range .CommonAnnotations }}x{{ else }}no common annotations{{ end }}", "no common annotations"),
        ("{{ range .Alerts.Resolved }}x{{ else }}none resolved{{ end }}", "none resolved"),
        ("{{ range .Alerts }}{{ .Labels.instance }}{{ break }}{{ end }}", "a:9090"),
        ("{{ range .Alerts }}{{ if eq .Labels.instance \"a:9090\" }}{{ continue }}{{ end }}{{ .Labels.instance }}{{ end }}", "b:9090"),
        ("{{ range .Alerts }}{{ range .Labels.SortedPairs }}{{ .Name }} {{ end }}| {{ end }}", "alertname instance job severity | alertname instance job severity | "),
    ])
    func rangeOverListsAndMaps(template: String, expected: String) throws {
        #expect(try TemplateSamples.render(template) == expected)
    }

    @Test(arguments: [
        ("{{ $x := \"outer\" }}{{ range .Alerts }}{{ $x := \"inner\" }}{{ $x }} {{ end }}{{ $x }}", "inner inner outer"),
        ("{{ $last := \"\" }}{{ range .Alerts }}{{ $last = .Labels.instance }}{{ end }}{{ $last }}", "b:9090"),
        ("{{ range .Alerts }}{{ $.Receiver }} {{ end }}", "team-ops team-ops "),
        ("{{ with $s := .CommonLabels.severity }}{{ $s }}/{{ . }}{{ end }}", "page/page"),
        ("{{ if $n := len .Alerts }}{{ $n }}{{ else }}{{ $n }} none{{ end }}", "2"),
        ("{{ define \"show\" }}{{ $ }}{{ end }}{{ $x := 1 }}{{ template \"show\" .Status }}", "firing"),
    ])
    func variablesAndScopes(template: String, expected: String) throws {
        #expect(try TemplateSamples.render(template) == expected)
    }

    @Test func variablesDeclaredInsideABlockEndWithIt() throws {
        let set = try TemplateSet(files: [])
        #expect(throws: TemplateError.self) { try set.validate("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}") }
    }

    @Test(arguments: [
        ("{{ if eq .Status \"resolved\" }}R{{ else if eq .Status \"firing\" }}F{{ else }}?{{ end }}", "F"),
        ("{{ if eq .Status \"x\" }}X{{ else if eq .Status \"y\" }}Y{{ else }}other{{ end }}", "other"),
        ("{{ with .CommonLabels.severity }}sev={{ . }}{{ else }}none{{ end }}", "sev=page"),
        ("{{ with .CommonLabels.missing }}x{{ else }}none{{ end }}", "none"),
        ("{{ with .Alerts.Firing }}{{ len . }} firing{{ end }}", "2 firing"),
        // A template called without data has nil as its dot, which is false.
        ("{{ define \"t\" }}{{ if . }}T{{ else }}F{{ end }}{{ end }}{{ template \"t\" }}", "F"),
    ])
    func conditionals(template: String, expected: String) throws {
        #expect(try TemplateSamples.render(template) == expected)
    }

    @Test(arguments: [
        ("0", false), ("1", true), ("\"\"", false), ("\"x\"", true), ("false", false), ("0.0", false),
        (".CommonAnnotations", false), (".Alerts", true), (".Alerts.Resolved", false),
        ("(index .Alerts 0).EndsAt", true),
    ])
    func truthFollowsGo(operand: String, isTrue: Bool) throws {
        #expect(try TemplateSamples.render("{{ if \(operand) }}T{{ else }}F{{ end }}") == (isTrue ? "T" : "F"))
    }

    @Test(arguments: [
        ("{{ define \"greet\" }}hi {{ . }}{{ end }}{{ template \"greet\" .Status }}", "hi firing"),
        ("{{ define \"greet\" }}hi {{ . }}{{ end }}{{ template \"greet\" }}", "hi <no value>"),
        ("{{ block \"footer\" .Receiver }}[{{ . }}]{{ end }}", "[team-ops]"),
        ("{{ define \"__alertmanager\" }}Vigil{{ end }}{{ template \"slack.default.username\" . }}", "Vigil"),
        ("{{ define \"list\" }}{{ range . }}{{ .Labels.instance }} {{ end }}{{ end }}{{ template \"list\" .Alerts.Firing }}", "a:9090 b:9090 "),
    ])
    func defineTemplateAndBlock(template: String, expected: String) throws {
        #expect(try TemplateSamples.render(template) == expected)
    }

    @Test func filesDefineTemplatesAndOverrideDefaults() throws {
        let files: [(name: String, text: String)] = [
            ("/etc/alertmanager/templates/slack.tmpl", """
                {{ define "slack.custom.title" }}{{ .Status | toUpper }}: {{ .CommonLabels.alertname }}{{ end }}
                {{ define "__subject" }}custom subject{{ end }}
                """),
            ("/etc/alertmanager/templates/empty.tmpl", #"{{ define "__alertmanager" }}   {{ end }}"#),
        ]
        let set = try TemplateSet(files: files)
        let data = TemplateSamples.firing
        #expect(try set.render(#"{{ template "slack.custom.title" . }}"#, data: data) == "FIRING: HighLatency")
        // Templates are looked up by name when they run, so the defaults see the override…
        #expect(try set.render(#"{{ template "slack.default.title" . }}"#, data: data) == "custom subject")
        // …but a definition that is only whitespace does not replace one with content.
        #expect(try set.render(#"{{ template "slack.default.username" . }}"#, data: data) == "Alertmanager")
        #expect(set.templateNames.contains("slack.tmpl"))
    }

    @Test func emptyTextRendersAsEmpty() throws {
        #expect(try TemplateSet(files: []).render("", data: TemplateSamples.firing) == "")
    }

    @Test func renderingIsSafeFromManyTasks() async throws {
        let set = try TemplateSet(files: [])
        let text = #"{{ template "slack.default.title" . }}"#
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<32 { group.addTask { try set.render(text, data: TemplateSamples.firing) } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(outputs.count == 32)
        #expect(Set(outputs) == ["[FIRING:2] HighLatency (api page)"])
    }
}
