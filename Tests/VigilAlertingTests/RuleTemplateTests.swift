import Foundation
import Testing
import VigilAlerting

/// Alerting rule templates: Prometheus's `$labels`/`$value` prelude, its functions and its number
/// formatting. Expected strings are those of Prometheus's own template tests
/// (`template/template_test.go`) and of Go's `fmt`, which renders `$value`.
@Suite struct RuleTemplateTests {
    let templates: TemplateSet
    let labels: LabelSet = ["job": "api", "instance": "foo.example.com:12345", "service": "checkout"]

    init() throws {
        templates = try TemplateSet(files: [])
    }

    private func render(_ text: String, value: Double = 0.05) throws -> String {
        try templates.renderRuleTemplate(
            text, ruleName: "HighErrorRate", labels: labels, value: value, externalLabels: ["cluster": "eu-1"],
            externalURL: "http://testhost:9090/path/prefix")
    }

    @Test(arguments: [
        ("plain text", "plain text"),
        ("{{ 1 }}", "1"),
        ("{{ $labels.service }} on {{ .Labels.instance }}", "checkout on foo.example.com:12345"),
        ("{{ $labels.missing }}|{{ .Labels.missing }}", "|"),
        ("{{ $externalLabels.cluster }}|{{ .ExternalLabels.cluster }}|{{ $externalURL }}", "eu-1|eu-1|http://testhost:9090/path/prefix"),
        // Prometheus's labels are a plain map[string]string, which fmt prints with sorted keys.
        ("{{ $labels }}", "map[instance:foo.example.com:12345 job:api service:checkout]"),
        ("{{ range $name, $value := $labels }}{{ $name }}={{ $value }};{{ end }}", "instance=foo.example.com:12345;job=api;service=checkout;"),
        ("{{ len $labels }}|{{ index $labels \"job\" }}", "3|api"),
        ("{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" $labels.job }}", "[api]"),
    ])
    func preludeDefinesPrometheusVariables(text: String, expected: String) throws {
        #expect(try render(text) == expected)
    }

    /// `{{ $value }}` prints a float64 as Go's `%v` does (`strconv` 'g' with the shortest digits):
    /// exponent form when the decimal exponent is below -4 or at least 6.
    @Test(arguments: [
        (0.05, "0.05"),
        (1.0, "1"),
        (-2.5, "-2.5"),
        (123456.0, "123456"),
        (1234567.0, "1.234567e+06"),
        (1e20, "1e+20"),
        (1e21, "1e+21"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (Double.nan, "NaN"),
        (Double.infinity, "+Inf"),
        (-Double.infinity, "-Inf"),
    ])
    func valuePrintsAsGoFormatsFloat64(value: Double, expected: String) throws {
        #expect(try render("{{ $value }}", value: value) == expected)
        #expect(try render("{{ .Value }}", value: value) == expected)
    }

    @Test(arguments: [
        (0.0, "0"), (1.0, "1"), (1234567.0, "1.235M"), (0.12, "120m"), (-1.0, "-1"),
        (9.223372036854775807e18, "9.223E"), (1.8446744073709551615e19, "18.45E"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"),
    ])
    func humanize(value: Double, expected: String) throws {
        #expect(try render("{{ humanize $value }}", value: value) == expected)
        #expect(try render("{{ $value | humanize }}", value: value) == expected)
    }

    @Test(arguments: [
        (0.0, "0"), (1.0, "1"), (1048576.0, "1Mi"), (0.12, "0.12"), (-1.0, "-1"), (1234567.0, "1.177Mi"),
        (9.223372036854775807e18, "8Ei"), (1.8446744073709551615e19, "16Ei"), (Double.infinity, "+Inf"), (Double.nan, "NaN"),
    ])
    func humanize1024(value: Double, expected: String) throws {
        #expect(try render("{{ humanize1024 $value }}", value: value) == expected)
    }

    @Test(arguments: [
        (0.0, "0s"), (1.0, "1s"), (60.0, "1m 0s"), (3600.0, "1h 0m 0s"), (86400.0, "1d 0h 0m 0s"), (90000.0, "1d 1h 0m 0s"),
        (-183_845.0, "-2d 3h 4m 5s"), (899.99, "14m 59s"), (90.0, "1m 30s"),
        (0.1, "100ms"), (0.0001, "100us"), (0.12345, "123.5ms"), (60.1, "1m 0s"), (60.5, "1m 0s"), (1.2345, "1.234s"),
        (12.345, "12.35s"), (1234567.0, "14d 6h 56m 7s"), (Double.infinity, "+Inf"), (Double.nan, "NaN"),
    ])
    func humanizeDuration(value: Double, expected: String) throws {
        #expect(try render("{{ humanizeDuration $value }}", value: value) == expected)
    }

    @Test(arguments: [
        (-0.22222, "-22.22%"), (0.0, "0%"), (0.1234, "12.34%"), (0.1234567, "12.35%"), (1.23456, "123.5%"),
        (1234567.0, "1.235e+08%"), (-1.0, "-100%"),
    ])
    func humanizePercentage(value: Double, expected: String) throws {
        #expect(try render("{{ humanizePercentage $value }}", value: value) == expected)
    }

    @Test(arguments: [
        (0.0, "1970-01-01 00:00:00 +0000 UTC"), (-1.0, "1969-12-31 23:59:59 +0000 UTC"), (1.0, "1970-01-01 00:00:01 +0000 UTC"),
        (1234567.0, "1970-01-15 06:56:07 +0000 UTC"), (9223372036.0, "2262-04-11 23:47:16 +0000 UTC"),
        (1435065584.128, "2015-06-23 13:19:44.128 +0000 UTC"), (Double.infinity, "+Inf"), (Double.nan, "NaN"),
    ])
    func humanizeTimestamp(value: Double, expected: String) throws {
        #expect(try render("{{ humanizeTimestamp $value }}", value: value) == expected)
    }

    @Test(arguments: [
        // Numbers given as strings and integer literals convert as prometheus/common's ConvertToFloat does.
        ("{{ humanize \"1234567.0\" }}|{{ humanize \".12\" }}|{{ humanize 1234567 }}", "1.235M|120m|1.235M"),
        ("{{ humanize1024 \"1048576.0\" }}|{{ humanizeDuration \"60.5\" }}|{{ humanizeDuration \"86400\" }}", "1Mi|1m 0s|1d 0h 0m 0s"),
        ("{{ \"-0.22222\" | humanizePercentage }}|{{ \"1435065584.128\" | humanizeTimestamp }}", "-22.22%|2015-06-23 13:19:44.128 +0000 UTC"),
        ("{{ humanize \"+Inf\" }}|{{ humanizeTimestamp \"NaN\" }}", "+Inf|NaN"),
        ("{{ (1435065584.128 | toTime).Format \"2006\" }}|{{ (\"1435065584.128\" | toTime).Year }}", "2015|2015"),
        ("{{ printf \"%0.2f\" (parseDuration \"1h2m10ms\") }}|{{ parseDuration \"0\" }}|{{ parseDuration \"90s\" }}", "3720.01|0|90"),
    ])
    func conversions(text: String, expected: String) throws {
        #expect(try render(text) == expected)
    }

    @Test(arguments: [
        ("{{ \"aa bb CC\" | title }}", "Aa Bb CC"),
        ("{{ title \"hello wORLD it's foo-bar\" }}", "Hello WORLD It's Foo-Bar"),
        ("{{ \"aa bb CC\" | toUpper }}|{{ \"aA bB CC\" | toLower }}", "AA BB CC|aa bb cc"),
        ("{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }}", "true false"),
        ("{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}|{{ reReplaceAll \":.*\" \"\" $labels.instance }}", "xa|foo.example.com"),
        ("{{ \"<b>\" }}|{{ \"<b>\" | safeHtml }}", "<b>|<b>"),
        ("{{ graphLink \"up\" }}|{{ tableLink \"up\" }}|{{ graphLink \"rate(x[5m]) > 1\" }}",
         "/graph?g0.expr=up&g0.tab=0|/graph?g0.expr=up&g0.tab=1|/graph?g0.expr=rate%28x%5B5m%5D%29+%3E+1&g0.tab=0"),
        ("{{ pathPrefix }}|{{ externalURL }}", "/path/prefix|http://testhost:9090/path/prefix"),
        ("{{ if gt $value 0.01 }}above{{ else }}below{{ end }}", "above"),
    ])
    func stringFunctions(text: String, expected: String) throws {
        #expect(try render(text) == expected)
    }

    @Test(arguments: [
        ("foo.example.com", "foo.example.com", "foo"),
        ("foo.example.com:12345", "foo.example.com", "foo:12345"),
        ("192.0.2.1", "192.0.2.1", "192.0.2.1"),
        ("192.0.2.1:12345", "192.0.2.1", "192.0.2.1:12345"),
        ("2001:0DB8::1", "2001:0DB8::1", "2001:0DB8::1"),
        ("[2001:0DB8::1]:12345", "2001:0DB8::1", "[2001:0DB8::1]:12345"),
        ("[2001:0DB8::1]::12345", "[2001:0DB8::1]::12345", "[2001:0DB8::1]::12345"),
    ])
    func stripPortAndDomain(address: String, withoutPort: String, withoutDomain: String) throws {
        #expect(try render("{{ \"\(address)\" | stripPort }}") == withoutPort)
        #expect(try render("{{ \"\(address)\" | stripDomain }}") == withoutDomain)
    }

    @Test func functionErrorsNameTheTemplateAndTheCall() throws {
        let error = #expect(throws: TemplateError.self) { try render("{{ humanize \"one\" }}") }
        #expect(error?.code == .execution)
        #expect(error?.message.hasPrefix("__alert_HighErrorRate:1:") == true)
        #expect(error?.message.hasSuffix("error calling humanize: strconv.ParseFloat: parsing \"one\": invalid syntax") == true)
    }

    @Test func failedTemplateExpandsToPrometheusErrorText() {
        let data = RuleTemplateData(labels: ["job": "api"], value: 1)
        let (text, error) = templates.expandRuleTemplate("{{ humanize \"one\" }}", ruleName: "HighErrorRate", data: data)
        #expect(error?.code == .execution)
        #expect(text.hasPrefix("<error expanding template: error executing template __alert_HighErrorRate: template: __alert_HighErrorRate:1:"))
        #expect(text.hasSuffix("invalid syntax>"))
        let (parseText, parseError) = templates.expandRuleTemplate("{{ $value", ruleName: "R", data: data)
        #expect(parseError?.code == .syntax)
        #expect(parseText.hasPrefix("<error expanding template: error parsing template __alert_R: template: __alert_R:1:"))
        let literal = templates.expandRuleTemplate("no actions", data: data)
        #expect(literal.text == "no actions")
        #expect(literal.error == nil)
    }

    @Test(arguments: ["query", "first", "label", "value", "strvalue", "sortByLabel", "args"])
    func queryFunctionsAreRejectedWhenValidated(function: String) {
        let text = function == "query" ? "{{ query \"up\" }}" : "{{ \(function) 1 }}"
        let error = #expect(throws: TemplateError.self) { try templates.validateRuleTemplate(text, ruleName: "R") }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("function \"\(function)\" not supported") == true)
    }

    @Test(arguments: [
        ("{{ $labels.job.name }}", TemplateError.Code.typeMismatch),
        ("{{ .Foo }}", .typeMismatch),
        ("{{ join \",\" $labels }}", .undefinedFunction),
        ("{{ tz \"UTC\" }}", .undefinedFunction),
        ("{{ template \"nope\" }}", .undefinedTemplate),
        ("{{ humanize }}", .typeMismatch),
        ("{{ if }}", .syntax),
        ("{{ $undefined }}", .undefinedVariable),
    ])
    func validationRejectsTemplatesThatCannotWork(text: String, code: TemplateError.Code) {
        let error = #expect(throws: TemplateError.self) { try templates.validateRuleTemplate(text, ruleName: "R") }
        #expect(error?.code == code)
    }

    @Test(arguments: [
        "", "plain", "{{ $value | humanizePercentage }} of {{ $labels.service }} requests fail",
        "{{ with $labels.route }}route {{ . }}{{ end }}", "{{ define \"d\" }}{{ . }}{{ end }}{{ template \"d\" $value }}",
        "{{ $externalLabels.cluster }} {{ $externalURL }} {{ .ExternalURL }} {{ humanizeTimestamp 0 }}",
    ])
    func validationAcceptsPrometheusTemplates(text: String) throws {
        try templates.validateRuleTemplate(text, ruleName: "R")
    }

    @Test func notificationTemplatesKeepAlertmanagerFunctions() throws {
        // Rule templates do not widen Alertmanager's function set, nor see its definitions.
        #expect(throws: TemplateError.self) { try templates.validate("{{ humanize 1 }}") }
        #expect(throws: TemplateError.self) { try templates.validateRuleTemplate("{{ template \"__subject\" . }}") }
        try templates.validate("{{ toJson .CommonLabels }}")
    }
}
