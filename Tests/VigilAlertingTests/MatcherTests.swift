import Testing
@testable import VigilAlerting

@Suite struct MatcherTests {
    /// Equality operators compare bytes; a missing label is the empty string.
    @Test(arguments: [
        (Matcher.Kind.equal, "foo", "foo", true),
        (.equal, "foo", "Foo", false),
        (.equal, "", "", true),
        (.equal, "é", "e\u{301}", false),
        (.notEqual, "", "", false),
        (.notEqual, "foo", "", true),
        (.notEqual, "foo", "foo", false),
        (.notRegex, "foo", "foobar", true),
        (.notRegex, ".+", "", true),
        (.notRegex, "prod|staging", "prod", false),
    ])
    func operatorsCompareWholeValues(kind: Matcher.Kind, value: String, input: String, matches: Bool) throws {
        let matcher = try Matcher(name: "x", kind: kind, value: value)
        #expect(matcher.matches(input) == matches)
        #expect(matcher.matches(input.isEmpty ? LabelSet() : ["x": input]) == matches)
    }

    /// Go RE2 semantics, fully anchored as `^(?:value)$`; every expectation checked against
    /// Alertmanager 0.25's `labels.Matcher`.
    @Test(arguments: [
        ("foo", "foobar", false), ("foo", "foo", true), ("foo", "xfoo", false), ("foo", "foo\n", false), ("foo$", "foo\n", false),
        ("(?m)foo$", "foo\n", false), (".*", "", true), (".+", "", false), ("", "", true), ("", "x", false), ("|x", "", true),
        ("prod|staging", "staging", true), ("prod|staging", "prod-eu", false), ("api-.*", "api-gateway", true), ("api-.*", "api-\n", false),
        (".*crit.*", "a critical one", true), (".*-eu", "prod-eu", true), ("5..", "503", true), ("5..", "5003", false),
        // The value can close Alertmanager's wrapping group: this is `^(?:a)|(b)$`.
        ("a)|(b", "axe", true), ("a)|(b", "bob", true), ("a)|(b", "xyz", false),
        ("(?i)FOO", "foo", true), ("(?i)straße", "STRASSE", false), ("(?i)straße", "STRAẞE", true), ("(?i)\\W", "k", false), ("(?i)\\W", "\u{212a}", false),
        ("\\d+", "42", true), ("\\d+", "\u{663}", false), ("\\w+", "é", false), ("\\s", "\u{a0}", false), ("[[:alpha:]]+", "abc", true), ("[[:alpha:]]+", "äbc", false),
        (".", "\n", false), ("(?s).", "\n", true), (".", "🙂", true), ("[^a]", "\n", true), ("é", "e\u{301}", false),
        ("\\pL+", "日本", true), ("\\p{Greek}+", "αβγ", true), ("\\x{1F600}", "😀", true), ("\\Qa.b\\E", "a.b", true), ("\\Qa.b\\E", "axb", false),
        ("\\bfoo\\b.*", "foo bar", true), (".*\\bfoo\\b.*", "éfooé", true), ("x{2,3}", "xxxx", false), ("x{2,3}", "xxx", true), ("(?U)a+", "aaa", true),
    ])
    func regexMatchesLikeAlertmanager(pattern: String, input: String, matches: Bool) throws {
        let matcher = try Matcher(name: "x", kind: .regex, value: pattern)
        #expect(matcher.matches(input) == matches)
        let negated = try Matcher(name: "x", kind: .notRegex, value: pattern)
        #expect(negated.matches(input) == !matches)
        // The linear-time engine that takes over from ICU must agree.
        let linear = RegexProgram(try RE2Translator.translate("^(?:" + pattern + ")$").node)
        #expect(linear.matches(input) == matches)
    }

    /// ICU backtracks exponentially on these (Go does not); past a small budget the linear engine answers.
    @Test(arguments: [
        ("(a|aa)+", String(repeating: "a", count: 60) + "c", false),
        ("(a|aa)+", String(repeating: "a", count: 60), true),
        ("(a*)*b", String(repeating: "a", count: 5_000), false),
        ("(x+x+)+y", String(repeating: "x", count: 100), false),
        ("(.*a){12}", String(repeating: "a", count: 11) + String(repeating: "b", count: 60), false),
        ("(a|b)*c", String(repeating: "ab", count: 20_000) + "c", true),
    ])
    func catastrophicBacktrackingStillAnswers(pattern: String, input: String, matches: Bool) throws {
        #expect(try Matcher(name: "x", kind: .regex, value: pattern).matches(input) == matches)
    }

    @Test func missingLabelsMatchAsEmpty() throws {
        let labels: LabelSet = ["job": "api"]
        #expect(try Matcher(name: "env", kind: .equal, value: "").matches(labels))
        #expect(try Matcher(name: "env", kind: .regex, value: "prod|").matches(labels))
        #expect(try !Matcher(name: "env", kind: .regex, value: ".+").matches(labels))
        #expect(try Matcher(name: "env", kind: .notEqual, value: "prod").matches(labels))
        #expect(try Matcher(name: "job", kind: .equal, value: "api").matches(labels))
    }

    /// Go's error text for the anchored pattern, as Alertmanager 0.25 reports it.
    @Test(arguments: [
        ("invalid[regexp", "missing closing ]: `[regexp)$`"),
        ("a**", "invalid nested repetition operator: `**`"),
        ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
        ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
        ("(?<name>a)", "invalid or unsupported Perl syntax: `(?<`"),
        ("(?i-)a", "invalid or unsupported Perl syntax: `(?i-)`"),
        ("\\1", "invalid escape sequence: `\\1`"),
        ("\\C", "invalid escape sequence: `\\C`"),
        ("\\Z", "invalid escape sequence: `\\Z`"),
        ("[\\b]", "invalid escape sequence: `\\b`"),
        ("\\x{110000}", "invalid escape sequence: `\\x{110000`"),
        ("a{1001}", "invalid repeat count: `{1001}`"),
        ("(a{100}){11}", "invalid repeat count: `{11}`"),
        ("*", "missing argument to repetition operator: `*`"),
        ("a)", "unexpected ): `^(?:a))$`"),
        ("(a", "missing closing ): `^(?:(a)$`"),
        ("foo\\", "missing closing ): `^(?:foo\\)$`"),
        ("\\Qa.b", "missing closing ): `^(?:\\Qa.b)$`"),
        ("\\p{Foo}", "invalid character class range: `\\p{Foo}`"),
        ("[z-a]", "invalid character class range: `z-a`"),
        ("[a-", "invalid character class range: `a-)`"),
        ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
        ("(?P<n-m>a)", "invalid named capture: `(?P<n-m>`"),
    ])
    func badRegexesAreRejectedWithGoMessages(pattern: String, message: String) {
        #expect(throws: MatcherError(code: .invalidRegex, message: "error parsing regexp: " + message)) {
            try Matcher(name: "x", kind: .regex, value: pattern)
        }
    }

    @Test func regexesAreOnlyCompiledForRegexKinds() throws {
        #expect(try Matcher(name: "x", kind: .equal, value: "[").matches("["))
        #expect(try Matcher(name: "x", kind: .regex, value: "(a{100}){10}").matches(String(repeating: "a", count: 1000)))
    }

    /// Alertmanager 0.25's `Matcher.String()`: the value is quoted with only `\`, line feed and `"` escaped.
    @Test(arguments: [
        (Matcher.Kind.equal, "foo", "bar", #"foo="bar""#),
        (.notEqual, "a:b", "", #"a:b!="""#),
        (.regex, "nl", "a\nb|\\d+", #"nl=~"a\nb|\\d+""#),
        (.notRegex, "q", "say \"hi\"\ttab é", "q!~\"say \\\"hi\\\"\ttab é\""),
    ])
    func descriptionIsAlertmanagerFormat(kind: Matcher.Kind, name: String, value: String, text: String) throws {
        #expect(try Matcher(name: name, kind: kind, value: value).description == text)
    }

    @Test func matchersRequireAllAndSortLikeAlertmanager() throws {
        let matchers = Matchers([
            try Matcher(name: "b", kind: .regex, value: "x"),
            try Matcher(name: "a", kind: .notEqual, value: "y"),
            try Matcher(name: "b", kind: .equal, value: "x"),
            try Matcher(name: "a", kind: .equal, value: "z"),
        ])
        #expect(matchers.sorted().description == #"{a!="y",a="z",b="x",b=~"x"}"#)
        #expect(matchers.matches(["a": "z", "b": "x"]))
        #expect(!matchers.matches(["a": "y", "b": "x"]))
        #expect(Matchers().matches(["any": "thing"]))
        #expect(Matchers().description == "{}")
    }

    @Test func equalityIgnoresTheCompiledForm() throws {
        let first = try Matcher(name: "a", kind: .regex, value: "x|y")
        let second = try Matcher(name: "a", kind: .regex, value: "x|y")
        #expect(first == second)
        #expect(Set([first, second]).count == 1)
        #expect(try first != Matcher(name: "a", kind: .notRegex, value: "x|y"))
    }
}
