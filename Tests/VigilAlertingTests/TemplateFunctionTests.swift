import Foundation
import Testing
@testable import VigilAlerting

/// Go's builtin template functions, `fmt` verbs, and Alertmanager's functions.
@Suite struct TemplateFunctionTests {
    @Test(arguments: [
        ("{{ printf \"%s|%d|%v|%q|%.2f|%x|%%\" \"a\" 42 true \"q\" 3.14159 255 }}", "a|42|true|\"q\"|3.14|ff|%"),
        ("{{ printf \"%5s|%-5s|%05d|%+d|%x|%X|%o|%b|%c|%U\" \"ab\" \"ab\" 42 7 \"hi\" 255 8 5 65 9731 }}", "   ab|ab   |00042|+7|6869|FF|10|101|A|U+2603"),
        ("{{ printf \"%v %v %v %v\" 1.5 1e6 100000.0 0.00001 }}", "1.5 1e+06 100000 1e-05"),
        ("{{ printf \"%e|%g|%.3g|%8.3f|%-8.2f|\" 1234.5678 0.000012345 1234.5678 3.14159 2.5 }}", "1.234568e+03|1.2345e-05|1.23e+03|   3.142|2.50    |"),
        ("{{ printf \"%[2]s %[1]s\" \"a\" \"b\" }}|{{ printf \"%*d|%.*f\" 4 7 1 2.25 }}", "b a|   7|2.2"),
        ("{{ printf \"%v|%s|%q\" .CommonLabels .CommonLabels.Names .CommonLabels.Names }}",
         "alertname=HighLatency, job=api, severity=page|[alertname job severity]|[\"alertname\" \"job\" \"severity\"]"),
        ("{{ printf \"%+v\" (index .CommonLabels.SortedPairs 0) }}", "{Name:alertname Value:HighLatency}"),
        ("{{ printf \"%T %T %T\" .Alerts .Alerts.Firing 1.5 }}", "template.Alerts []template.Alert float64"),
        ("{{ printf \"%d\" \"x\" }}", "%!d(string=x)"),
        ("{{ printf \"%s\" }}", "%!s(MISSING)"),
        ("{{ printf \"%d\" 1 2 }}", "1%!(EXTRA int=2)"),
        ("{{ print \"a\" \"b\" 1 2 \"c\" }}|{{ println \"a\" 1 }}", "ab1 2c|a 1\n"),
    ])
    func printfFollowsGoFmt(template: String, expected: String) throws {
        #expect(try TemplateSamples.render(template) == expected)
    }

    @Test(arguments: [
        ("{{ and 1 0 \"x\" }}|{{ and 1 2 }}|{{ or 0 \"\" \"y\" }}|{{ or 0 \"\" }}|{{ not 0 }}|{{ not .Alerts }}", "0|2|y||true|false"),
        // and/or stop at the deciding argument, so the out-of-range index never runs.
        ("{{ and false (index .Alerts 9) }}|{{ or true (index .Alerts 9) }}", "false|true"),
        ("{{ len \"héllo\" }}|{{ len .CommonLabels }}|{{ len .Alerts.Firing }}", "6|3|2"),
        ("{{ index \"abc\" 1 }}|{{ (index .Alerts 1).Fingerprint }}", "98|00000000000000a2"),
        ("{{ slice \"abcdef\" 1 3 }}|{{ slice .CommonLabels.Names 1 }}|{{ len (slice .Alerts 1) }}", "bc|[job severity]|1"),
        ("{{ eq 1 1 }}|{{ eq \"a\" \"b\" \"a\" }}|{{ ne 1 2 }}|{{ lt 1 2 }}|{{ le 2 2 }}|{{ gt \"b\" \"a\" }}|{{ ge 1.5 2.5 }}", "true|true|true|true|true|true|false"),
        ("{{ eq .CommonLabels.missing \"\" }}|{{ eq nil nil }}", "true|true"),
        ("{{ html \"<a href='x'>&\\\"\" }}", "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"),
        ("{{ js \"a'b\\\"<>&=\" }}", "a\\'b\\\"\\u003C\\u003E\\u0026\\u003D"),
        ("{{ urlquery \"a b&c/d\" }}|{{ .Receiver | urlquery }}", "a+b%26c%2Fd|team-ops"),
    ])
    func goBuiltins(template: String, expected: String) throws {
        #expect(try TemplateSamples.render(template) == expected)
    }

    @Test(arguments: [
        ("{{ toUpper \"héllo\" }}|{{ toLower \"HÉLLO\" }}|{{ toUpper \"straße\" }}", "HÉLLO|héllo|STRAßE"),
        ("{{ title \"hello wORLD foo-bar\" }}", "Hello World Foo-Bar"),
        ("{{ trimSpace \"  x y \\n\" }}", "x y"),
        ("{{ join \",\" (stringSlice \"a\" \"b\") }}|{{ .CommonLabels.Values | join \" \" }}|{{ stringSlice \"a\" \"b\" }}", "a,b|HighLatency api page|[a b]"),
        ("{{ match \"^High\" .CommonLabels.alertname }}|{{ match \"x$\" \"ax\\n\" }}|{{ match \"\\\\d+\" \"a12\" }}", "true|false|true"),
        ("{{ reReplaceAll \"(\\\\w+):(\\\\d+)\" \"$2@$1\" \"host:9090\" }}", "9090@host"),
        // Go reads "$1x" as a group named "1x", which does not exist.
        ("{{ reReplaceAll \"(a)\" \"$1x\" \"aa\" }}|{{ reReplaceAll \"(a)\" \"${1}x\" \"aa\" }}", "|axax"),
        ("{{ reReplaceAll \"a*\" \"X\" \"baaac\" }}|{{ reReplaceAll \"(?P<n>a)\" \"${n}!\" \"ba\" }}", "XbXcX|ba!"),
        ("{{ safeHtml \"<b>\" }}|{{ safeUrl \"x\" }}|{{ urlUnescape \"a%20b+c\" }}", "<b>|x|a b c"),
        ("{{ date \"2006-01-02 15:04 MST\" (index .Alerts 0).StartsAt }}", "2024-01-02 03:04 UTC"),
        ("{{ (index .Alerts 0).StartsAt | tz \"Europe/Berlin\" | date \"15:04 MST -07:00\" }}", "04:04 CET +01:00"),
        ("{{ tz \"UTC\" (index .Alerts 0).StartsAt }}", "2024-01-02 03:04:05.123 +0000 UTC"),
        ("{{ toJson .CommonLabels }}|{{ toJson \"a<b>&\" }}|{{ toJson 1.5 }}", "{\"alertname\":\"HighLatency\",\"job\":\"api\",\"severity\":\"page\"}|\"a\\u003cb\\u003e\\u0026\"|1.5"),
        ("{{ toJson (index .Alerts 0) }}",
         "{\"status\":\"firing\",\"labels\":{\"alertname\":\"HighLatency\",\"instance\":\"a:9090\",\"job\":\"api\",\"severity\":\"page\"},\"annotations\":{\"summary\":\"Latency is high on a\"},\"startsAt\":\"2024-01-02T03:04:05.123Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=1\",\"fingerprint\":\"00000000000000a1\"}"),
    ])
    func alertmanagerFunctions(template: String, expected: String) throws {
        #expect(try TemplateSamples.render(template) == expected)
    }

    @Test(arguments: [
        ("0", "0s"), ("0.5", "500ms"), ("59.123456", "59.12s"), ("3661", "1h 1m 1s"), ("90061.5", "1d 1h 1m 1s"),
        ("-61", "-1m 1s"), ("\"12.5\"", "12.5s"), ("0.000123", "123us"),
    ])
    func humanizeDuration(argument: String, expected: String) throws {
        #expect(try TemplateSamples.render("{{ humanizeDuration \(argument) }}") == expected)
    }

    @Test func sinceMeasuresFromTheInjectedClock() throws {
        let now = TemplateSamples.start.addingTimeInterval(3661)
        let set = try TemplateSet(files: [], now: { now })
        let text = "{{ range .Alerts }}{{ since .StartsAt }} {{ .StartsAt | since | humanizeDuration }}|{{ end }}"
        #expect(try set.render(text, data: TemplateSamples.firing) == "1h1m1s 1h 1m 1s|1h1m1s 1h 1m 1s|")
        #expect(try set.render("{{ gt (since (index .Alerts 0).StartsAt) 3600000000000 }}", data: TemplateSamples.firing) == "true")
    }

    @Test func runtimeFailuresNameTheFunction() throws {
        let set = try TemplateSet(files: [])
        for (text, fragment) in [
            ("{{ index .Alerts 5 }}", "error calling index: index out of range: 5"),
            ("{{ urlUnescape \"%zz\" }}", "error calling urlUnescape: invalid URL escape \"%zz\""),
            ("{{ slice \"abc\" 2 1 }}", "error calling slice: invalid slice index: 2 > 1"),
            ("{{ len 3 }}", "error calling len: len of type int"),
        ] {
            let error = #expect(throws: TemplateError.self) { try set.render(text, data: TemplateSamples.firing) }
            #expect(error?.code == .execution)
            #expect(error?.message.contains(fragment) == true, "\(text): \(error?.message ?? "")")
        }
    }
}
