import Foundation
import Testing
import VigilAlerting
@testable import VigilNotify

/// The bytes Alertmanager 0.25 sends, produced with its own `template.Data` and `encoding/json`
/// for the alerts of ``Fixtures``.
@Suite struct PayloadEncodingTests {
    static let alertmanagerWebhookBody = #"""
        {"receiver":"team-x\\.ops","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"HighLatency","instance":"a:9090","severity":"critical"},"annotations":{"summary":"p99 \u003e 1s \u003cb\u003e"},"startsAt":"2023-11-14T22:13:20.5Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom/graph?g0.expr=x\u0026y","fingerprint":"af12b99426c43646"},{"status":"resolved","labels":{"alertname":"HighLatency","instance":"b:9090","severity":"critical"},"annotations":{"runbook":"r","summary":"p99 \u003e 1s \u003cb\u003e"},"startsAt":"2023-11-14T22:13:20Z","endsAt":"2023-11-14T22:18:20Z","generatorURL":"","fingerprint":"844b834920d6059f"}],"groupLabels":{"alertname":"HighLatency"},"commonLabels":{"alertname":"HighLatency","severity":"critical"},"commonAnnotations":{"summary":"p99 \u003e 1s \u003cb\u003e"},"externalURL":"http://vigil.example.com:9093","version":"4","groupKey":"{}:{alertname=\"HighLatency\"}","truncatedAlerts":0}

        """#

    @Test func webhookMessageIsByteForByteAlertmanagers() {
        let body = WebhookNotifier.message(Fixtures.request().templateData(), groupKey: Fixtures.request().groupKey, truncatedAlerts: 0)
        #expect(body == Self.alertmanagerWebhookBody)
    }

    @Test func templateDataIsComputedAsAlertmanagerDoes() {
        let data = Fixtures.request().templateData()
        #expect(data.receiver == #"team-x\.ops"#)
        #expect(data.status == "firing")
        #expect(data.alerts.map(\.status) == ["firing", "resolved"])
        #expect(data.alerts[0].endsAt == nil, "a firing alert's end is not shown")
        #expect(data.alerts[1].endsAt == Fixtures.resolved.endsAt)
        #expect(data.alerts[0].fingerprint == Fixtures.firing.fingerprint.description)
        #expect(data.groupLabels == ["alertname": "HighLatency"])
        #expect(data.commonLabels == ["alertname": "HighLatency", "severity": "critical"])
        #expect(data.commonAnnotations == ["summary": "p99 > 1s <b>"])
        #expect(data.externalURL == "http://vigil.example.com:9093")

        #expect(Fixtures.request([Fixtures.resolved]).templateData().status == "resolved")
        #expect(Fixtures.request([]).templateData().status == "resolved")
        #expect(Fixtures.request([]).templateData().commonLabels.isEmpty)
    }

    @Test func aLabelMissingFromAnotherAlertIsCommonWhenItsValueIsEmpty() {
        var withEmpty = Fixtures.firing
        withEmpty.annotations = ["note": "", "summary": "x"]
        var without = Fixtures.firing
        without.annotations = ["summary": "y"]
        // Go reads a missing map key as "", so `note: ""` survives the intersection.
        #expect(Fixtures.request([withEmpty, without]).templateData().commonAnnotations == ["note": ""])
    }

    @Test(arguments: [
        ("team-x.ops", #"team-x\.ops"#),
        (#"a\b.+*?()|[]{}^$z"#, #"a\\b\.\+\*\?\(\)\|\[\]\{\}\^\$z"#),
        ("plain receiver", "plain receiver"),
    ])
    func receiverNamesAreQuotedLikeRegexpQuoteMeta(name: String, quoted: String) {
        #expect(NotificationRequest.quoteMeta(name) == quoted)
    }

    @Test func stringsAreEscapedAsGoEscapesThem() {
        #expect(GoJSON.map(["s": "\u{1}\u{8}\u{c}<>&\u{2028}é\"\\\n\r\t"]).encoded == #"{"s":"\u0001\u0008\u000c\u003c\u003e\u0026\u2028é\"\\\n\r\t"}"# + "\n")
        #expect(GoJSON.map(["b": "1", "a": "2", "B": "3"]).encoded == #"{"B":"3","a":"2","b":"1"}"# + "\n")
        #expect(GoJSON.array([.integer(-3), .bool(false), .null, .object([])]).encoded == "[-3,false,null,{}]\n")
    }

    @Test(arguments: [
        (nil, "0001-01-01T00:00:00Z"),
        (1_700_000_000.123, "2023-11-14T22:13:20.123Z"),
        (1_700_000_000.000001, "2023-11-14T22:13:20.000001Z"),
        (-0.5, "1969-12-31T23:59:59.5Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
    ] as [(Double?, String)])
    func timesAreFormattedAsGoMarshalsThem(seconds: Double?, expected: String) {
        #expect(GoTime.rfc3339Nano(seconds.map { Date(timeIntervalSince1970: $0) }) == expected)
    }

    @Test func slackTitlesAreTruncatedInCharacters() {
        #expect(SlackNotifier.truncate("short", to: 1_024) == ("short", false))
        let long = String(repeating: "é", count: 1_025)
        let (title, truncated) = SlackNotifier.truncate(long, to: 1_024)
        #expect(truncated)
        #expect(title.unicodeScalars.count == 1_024)
        #expect(title.hasSuffix("é…"))
        #expect(SlackNotifier.truncate("abcdef", to: 3) == ("abc", true))
    }

    @Test func forwardedAlertsCarryTheirOwnEnd() throws {
        var timedOut = Fixtures.firing
        timedOut.timeout = true
        timedOut.generatorURL = ""
        let body = AlertmanagerForwarder.body([Fixtures.firing, Fixtures.resolved, timedOut], now: Fixtures.now)
        #expect(body == """
            [{"labels":{"alertname":"HighLatency","instance":"a:9090","severity":"critical"},"annotations":{"summary":"p99 \\u003e 1s \\u003cb\\u003e"},"startsAt":"2023-11-14T22:13:20.5Z","endsAt":"2023-11-14T22:28:20Z","generatorURL":"http://prom/graph?g0.expr=x\\u0026y"},\
            {"labels":{"alertname":"HighLatency","instance":"b:9090","severity":"critical"},"annotations":{"runbook":"r","summary":"p99 \\u003e 1s \\u003cb\\u003e"},"startsAt":"2023-11-14T22:13:20Z","endsAt":"2023-11-14T22:18:20Z"},\
            {"labels":{"alertname":"HighLatency","instance":"a:9090","severity":"critical"},"annotations":{"summary":"p99 \\u003e 1s \\u003cb\\u003e"},"startsAt":"2023-11-14T22:13:20.5Z"}]

            """)
    }
}
