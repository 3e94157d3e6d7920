import Foundation
import Testing
@testable import VigilAlerting

/// What `validate`, `init` and `render` reject, and that their messages name the construct and
/// where it is.
@Suite struct TemplateValidationTests {
    @Test(arguments: [
        ("{{ nope }}", TemplateError.Code.undefinedFunction, "1:4: function \"nope\" not defined"),
        ("{{ $missing }}", .undefinedVariable, "1:4: undefined variable \"$missing\""),
        ("{{ $x = 1 }}", .undefinedVariable, "undefined variable \"$x\""),
        ("{{ template \"nope\" . }}", .undefinedTemplate, "1:4: template \"nope\" not defined"),
        ("{{ .Foo }}", .typeMismatch, "at <.Foo>: can't evaluate field Foo in type *template.Data"),
        ("{{ .Alerts.Sorted }}", .typeMismatch, "can't evaluate field Sorted in type template.Alerts"),
        ("{{ .Alerts.Firing.Firing }}", .typeMismatch, "can't evaluate field Firing in type []template.Alert"),
        ("{{ .CommonLabels.alertname.Foo }}", .typeMismatch, "can't evaluate field Foo in type string"),
        ("{{ range .Alerts }}{{ .Labels.x.y }}{{ end }}", .typeMismatch, "can't evaluate field y in type string"),
        ("{{ .CommonLabels.Remove }}", .typeMismatch, "wrong number of args for Remove: want 1 got 0"),
        ("{{ .CommonLabels.job \"x\" }}", .typeMismatch, "job is not a method but has arguments"),
        ("{{ toUpper .Alerts }}", .typeMismatch, "wrong type for value; expected string; got template.Alerts"),
        ("{{ toUpper 3 }}", .typeMismatch, "expected string; found 3"),
        ("{{ join \" \" .CommonLabels }}", .typeMismatch, "expected []string; got template.KV"),
        ("{{ toUpper \"a\" \"b\" }}", .typeMismatch, "wrong number of args for toUpper: want 1 got 2"),
        ("{{ eq .Status 1 }}", .typeMismatch, "incompatible types for comparison"),
        ("{{ range .Status }}{{ end }}", .typeMismatch, "range can't iterate over a value of type string"),
        ("{{ match \"(\" .Status }}", .typeMismatch, "error calling match"),
        ("{{ tz \"Mars/Olympus_Mons\" (index .Alerts 0).StartsAt }}", .typeMismatch, "unknown time zone Mars/Olympus_Mons"),
        ("{{ call .Status }}", .typeMismatch, "call"),
        ("{{ 1 2 }}", .typeMismatch, "can't give argument to non-function 1"),
        ("{{ nil }}", .syntax, "nil is not a command"),
        ("{{ . | \"x\" }}", .syntax, "non executable command in pipeline stage 2"),
        ("{{ 1i }}", .unsupported, "complex number 1i is not supported"),
        ("{{ break }}", .syntax, "{{break}} outside {{range}}"),
        ("{{ range .Alerts }}{{ else }}{{ continue }}{{ end }}", .syntax, "{{continue}} outside {{range}}"),
        ("{{ if }}{{ end }}", .syntax, "missing value for if"),
        ("{{ if .Status }}x", .syntax, "unexpected EOF"),
        ("{{ end }}", .syntax, "1:1: unexpected {{end}}"),
        ("{{ else }}", .syntax, "unexpected {{else}}"),
        ("{{ range .Alerts }}{{ else if true }}{{ end }}", .syntax, "unexpected <if> in input"),
        ("{{ .Status", .syntax, "1:1: unclosed action"),
        ("{{ \"open }}", .syntax, "unterminated quoted string"),
        ("{{ \"bad \\q escape\" }}", .syntax, "invalid syntax"),
        ("{{ /* spaced comment */ }}", .syntax, "unexpected \"/\" in command"),
        ("{{ (.Status }}", .syntax, "unclosed left paren"),
        ("{{ .Status ! }}", .syntax, "unexpected \"!\" in operand"),
        ("{{ define \"a\" }}1{{ end }}{{ define \"a\" }}2{{ end }}", .syntax, "multiple definition of template \"a\""),
        ("{{ if true }}{{ define \"a\" }}{{ end }}{{ end }}", .syntax, "unexpected <define> in command"),
        ("line one\n  {{ nope }}", .undefinedFunction, "2:6: function \"nope\" not defined"),
    ])
    func validateRejectsWithALocatedMessage(template: String, code: TemplateError.Code, fragment: String) throws {
        let set = try TemplateSet(files: [])
        let error = #expect(throws: TemplateError.self) { try set.validate(template) }
        #expect(error?.code == code, "\(template): \(error?.description ?? "")")
        #expect(error?.message.contains(fragment) == true, "\(template): \(error?.message ?? "")")
    }

    @Test func validateFollowsTemplateCallsIntoFiles() throws {
        let set = try TemplateSet(files: [("templates/a.tmpl", "{{ define \"a\" }}\n{{ template \"b\" . }}{{ end }}")])
        let error = #expect(throws: TemplateError.self) { try set.validate(#"{{ template "a" . }}"#) }
        #expect(error?.code == .undefinedTemplate)
        #expect(error?.message == "templates/a.tmpl:2:4: template \"b\" not defined")
    }

    @Test func initRejectsBrokenFilesNamingTheFile() throws {
        let error = #expect(throws: TemplateError.self) {
            try TemplateSet(files: [("ok.tmpl", "{{ define \"x\" }}x{{ end }}"), ("bad.tmpl", "{{ define \"y\" }}\n{{ toUpper }}\n{{ end }}")])
        }
        #expect(error?.code == .typeMismatch)
        #expect(error?.message == "bad.tmpl:2:4: wrong number of args for toUpper: want 1 got 0")
        let unknown = #expect(throws: TemplateError.self) { try TemplateSet(files: [("f.tmpl", "{{ define \"y\" }}{{ upper .Status }}{{ end }}")]) }
        #expect(unknown?.description == "template undefined function: f.tmpl:1:20: function \"upper\" not defined")
    }

    @Test func renderReportsRuntimeErrorsWithTemplateAndPosition() throws {
        // Inside a define the data's type is not known in advance, so this fails only when run.
        let set = try TemplateSet(files: [("t.tmpl", "{{ define \"status.detail\" }}{{ .Foo }}{{ end }}")])
        try set.validate(#"{{ template "status.detail" .Status }}"#)
        let error = #expect(throws: TemplateError.self) {
            try set.render(#"{{ template "status.detail" .Status }}"#, data: TemplateSamples.firing)
        }
        #expect(error?.code == .typeMismatch)
        #expect(error?.message == "t.tmpl:1:32: executing \"status.detail\" at <.Foo>: can't evaluate field Foo in type string")
    }

    @Test func runawayRecursionHitsTheDepthLimit() throws {
        let set = try TemplateSet(files: [("loop.tmpl", "{{ define \"loop\" }}{{ template \"loop\" . }}{{ end }}")])
        let error = #expect(throws: TemplateError.self) { try set.render(#"{{ template "loop" . }}"#, data: TemplateSamples.firing) }
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("exceeded maximum template depth (150)") == true)
    }

    @Test func nestingIsBoundedSoItFitsATaskStack() throws {
        let set = try TemplateSet(files: [])
        let deepest = String(repeating: "{{ if true }}", count: 100) + "x" + String(repeating: "{{ end }}", count: 100)
        try set.validate(deepest)
        #expect(try set.render(deepest, data: TemplateSamples.firing) == "x")
        let tooDeep = "{{ " + String(repeating: "(", count: 101) + "1" + String(repeating: ")", count: 101) + " }}"
        let error = #expect(throws: TemplateError.self) { try set.validate(tooDeep) }
        #expect(error?.code == .limitExceeded)
        #expect(error?.message == "1:104: blocks and parentheses nest deeper than 100 levels")
    }

    @Test(arguments: [
        "{{ if false }}{{ index .Alerts 9 }}{{ end }}",
        "{{ $x := .Status }}{{ $x = .Alerts }}{{ $x.Firing }}",
        "{{ define \"any\" }}{{ .Whatever.Goes }}{{ end }}",
        "{{ with .CommonLabels }}{{ .anyLabel }}{{ end }}",
        "{{ .Alerts.Firing | len }} {{ (index .Alerts 0).StartsAt.Format \"15:04\" }}",
        "{{ .GroupLabels.SortedPairs.Values | join \" \" }}",
        // Go ignores a trailing pipe.
        "{{ .Status | }}",
    ])
    func validateAcceptsWhatCanWork(template: String) throws {
        try TemplateSet(files: []).validate(template)
    }
}
