import Testing
@testable import VigilAlerting

@Suite struct MatcherParserTests {
    /// Inputs and results of Alertmanager 0.25's `labels.ParseMatchers` (the `description` column
    /// is its `Matchers.String()`).
    @Test(arguments: [
        (#"{foo="bar"}"#, [("foo", Matcher.Kind.equal, "bar")], #"{foo="bar"}"#),
        (#"{foo=~"bar.*"}"#, [("foo", .regex, "bar.*")], #"{foo=~"bar.*"}"#),
        (#"{foo!="bar"}"#, [("foo", .notEqual, "bar")], #"{foo!="bar"}"#),
        (#"{foo!~"bar.*"}"#, [("foo", .notRegex, "bar.*")], #"{foo!~"bar.*"}"#),
        (#"{foo="bar", baz!="quux"}"#, [("foo", .equal, "bar"), ("baz", .notEqual, "quux")], #"{foo="bar",baz!="quux"}"#),
        ("foo=bar,dings!=bums", [("foo", .equal, "bar"), ("dings", .notEqual, "bums")], #"{foo="bar",dings!="bums"}"#),
        (#"{foo = "bar", dings != "bums", }"#, [("foo", .equal, "bar"), ("dings", .notEqual, "bums")], #"{foo="bar",dings!="bums"}"#),
        (#"{foo="bar,quux", job="job1"}"#, [("foo", .equal, "bar,quux"), ("job", .equal, "job1")], #"{foo="bar,quux",job="job1"}"#),
        (#"{quote="She said: \"Hi, ladies!\""}"#, [("quote", .equal, #"She said: "Hi, ladies!""#)], #"{quote="She said: \"Hi, ladies!\""}"#),
        (#"statuscode=~"5..""#, [("statuscode", .regex, "5..")], #"{statuscode=~"5.."}"#),
        ("tricky=~~~", [("tricky", .regex, "~~")], #"{tricky=~"~~"}"#),
        (#"trickier==\\=\=\""#, [("trickier", .equal, #"=\=\=""#)], #"{trickier="=\\=\\=\""}"#),
        ("job=", [("job", .equal, "")], #"{job=""}"#),
        (#"{foo=""}"#, [("foo", .equal, "")], #"{foo=""}"#),
        ("", [], "{}"),
        ("{}", [], "{}"),
        (#"a="x\ty""#, [("a", .equal, #"x\ty"#)], #"{a="x\\ty"}"#),
        (#"a="x\ny""#, [("a", .equal, "x\ny")], #"{a="x\ny"}"#),
        (#"a=x\"#, [("a", .equal, #"x\"#)], #"{a="x\\"}"#),
        ("a:b=c", [("a:b", .equal, "c")], #"{a:b="c"}"#),
        ("a=b,", [("a", .equal, "b")], #"{a="b"}"#),
        (" a = b ", [("a", .equal, "b")], #"{a="b"}"#),
        ("a=b c=d", [("a", .equal, "b c=d")], #"{a="b c=d"}"#),
        (#"a="🙂,é""#, [("a", .equal, "🙂,é")], #"{a="🙂,é"}"#),
        (#"{a="}"}"#, [("a", .equal, "}")], #"{a="}"}"#),
        ("a=b}", [("a", .equal, "b")], #"{a="b"}"#),
    ] as [(String, [(String, Matcher.Kind, String)], String)])
    func parsesBraceAndListForms(text: String, expected: [(String, Matcher.Kind, String)], description: String) throws {
        let matchers = try Matchers(parsing: text)
        #expect(matchers.map(\.name) == expected.map(\.0))
        #expect(matchers.map(\.kind) == expected.map(\.1))
        #expect(matchers.map(\.value) == expected.map(\.2))
        #expect(matchers.description == description)
    }

    @Test(arguments: [
        (#"job="value"#, MatcherError.Code.unescapedQuote, #"matcher value contains unescaped double quote: "value"#),
        (#"job=value""#, .unescapedQuote, #"matcher value contains unescaped double quote: value""#),
        (#"contains_unescaped_quote = foo"bar"#, .unescapedQuote, #"matcher value contains unescaped double quote: foo"bar"#),
        (#"a=""#, .unescapedQuote, #"matcher value contains unescaped double quote: ""#),
        (#"{invalid-name = "valid label"}"#, .badFormat, #"bad matcher format: invalid-name = "valid label""#),
        (#""foo=\"bar""#, .badFormat, #"bad matcher format: "foo=\"bar""#),
        ("a=b,,c=d", .badFormat, "bad matcher format: "),
        (",a=b", .badFormat, "bad matcher format: "),
        ("1a=b", .badFormat, "bad matcher format: 1a=b"),
        ("a.b=c", .badFormat, "bad matcher format: a.b=c"),
        ("é=a", .badFormat, "bad matcher format: é=a"),
        ("a", .badFormat, "bad matcher format: a"),
        ("a!b", .badFormat, "bad matcher format: a!b"),
        (#"{foo=~"invalid[regexp"}"#, .invalidRegex, "error parsing regexp: missing closing ]: `[regexp)$`"),
        (#"a=~"a**""#, .invalidRegex, "error parsing regexp: invalid nested repetition operator: `**`"),
    ])
    func rejectsWithAlertmanagerMessages(text: String, code: MatcherError.Code, message: String) {
        #expect(throws: MatcherError(code: code, message: message)) {
            try Matchers(parsing: text)
        }
    }

    /// Only the last piece is trimmed with Unicode spaces; other pieces keep a no-break space.
    @Test func trimsLikeGo() throws {
        #expect(try Matchers(parsing: "a=b\u{a0}").first?.value == "b")
        #expect(try Matchers(parsing: "a=b\u{a0},c=d").first?.value == "b\u{a0}")
        #expect(try Matchers(parsing: "a=b\u{0b},c=d").first?.value == "b\u{0b}")
    }

    @Test func parsedMatchersMatch() throws {
        let matchers = try Matchers(parsing: #"{service=~"api|web", env!="dev", team=""}"#)
        #expect(matchers.matches(["service": "api", "env": "prod"]))
        #expect(!matchers.matches(["service": "api", "env": "dev"]))
        #expect(!matchers.matches(["service": "api", "env": "prod", "team": "x"]))
        #expect(!matchers.matches(["service": "apiserver"]))
    }
}
