import Foundation
import Testing
@testable import VigilAlerting

@Suite struct LabelSetTests {
    /// Expected values computed independently with FNV-1a 64 over name, 0xff, value, 0xff of the
    /// labels sorted by name (and checked against prometheus/common's `LabelSet.Fingerprint`).
    @Test(arguments: [
        ([:], "cbf29ce484222325"),
        (["alertname": "HighLatency", "job": "api"], "144419c8ae624785"),
        (["a": ""], "e57e2e1903df23e2"),
        (["a": "b"], "d2b371819297f98a"),
        (["a": "b", "a0": "c"], "1df1c9ccac75f38e"),
        (["job": "api", "alertname": "HighLatency", "severity": "critical"], "8dd3b726a1f3a0fb"),
        (["__name__": "up", "instance": "localhost:9090", "job": "prometheus"], "14a80682733d2f46"),
        (["service": "café ☕"], "043658cf687faf75"),
        (["B": "1", "a": "1"], "8e5fdc565c678146"),
        (["ab": "c"], "20ba9b3025a8b421"),
        (["a": "bc"], "a0a3542c19b900ab"),
    ] as [([String: String], String)])
    func fingerprintIsFNV1aOverSortedLabels(labels: [String: String], hex: String) {
        let fingerprint = LabelSet(labels).fingerprint()
        #expect(fingerprint.description == hex)
        #expect(Fingerprint(hex: hex) == fingerprint)
    }

    @Test(arguments: [
        ("0", UInt64(0)), ("ff", 255), ("FFFFFFFFFFFFFFFF", UInt64.max), ("144419C8AE624785", 0x1444_19c8_ae62_4785),
    ])
    func fingerprintsParseOneToSixteenHexDigits(text: String, value: UInt64) {
        #expect(Fingerprint(hex: text)?.rawValue == value)
    }

    @Test(arguments: ["", "0x1", "12345678901234567", "g", "-1", "+1", " 1", "1_0"])
    func fingerprintsRejectOtherText(text: String) {
        #expect(Fingerprint(hex: text) == nil)
    }

    @Test func fingerprintsPrintSixteenDigits() {
        #expect(Fingerprint(rawValue: 255).description == "00000000000000ff")
        #expect(Fingerprint(rawValue: 1) < Fingerprint(rawValue: 2))
    }

    /// Go's `LabelSet.String()`: sorted `name=%q` pieces (the pieces, not the names, are sorted).
    @Test(arguments: [
        (LabelSet(["a": "b", "a0": "c"]), #"{a0="c", a="b"}"#),
        (LabelSet(["msg": "line1\nline2 \"quoted\" back\\slash"]), #"{msg="line1\nline2 \"quoted\" back\\slash"}"#),
        (LabelSet(["v": "\u{a0}nbsp \u{200b}zw \u{01}ctl \u{7f} é 🙂 \u{e0001}"]), #"{v="\u00a0nbsp \u200bzw \x01ctl \x7f é 🙂 \U000e0001"}"#),
        (LabelSet(), "{}"),
        (LabelSet(["a": ""]), #"{a=""}"#),
    ])
    func descriptionIsGoFormat(labels: LabelSet, text: String) {
        #expect(labels.description == text)
    }

    @Test func missingLabelsReadAsEmptyButEmptyLabelsArePresent() {
        let labels: LabelSet = ["job": "api", "empty": ""]
        #expect(labels["job"] == "api")
        #expect(labels["nope"] == "")
        #expect(labels.value(forName: "nope") == nil)
        #expect(labels.value(forName: "empty") == "")
        #expect(labels.contains(name: "empty"))
        #expect(labels.names == ["empty", "job"])
        #expect(labels.count == 2)
        #expect(labels != LabelSet(["job": "api"]))
    }

    @Test func storageIsSortedByBytesAndEditable() {
        var labels = LabelSet(pairs: [("b", "1"), ("a", "2"), ("B", "3"), ("a", "4")])
        #expect(labels.names == ["B", "a", "b"])
        #expect(labels["a"] == "4")
        labels.updateValue("5", forName: "_")
        #expect(labels.names == ["B", "_", "a", "b"])
        #expect(labels.removeValue(forName: "B") == "3")
        #expect(labels.removeValue(forName: "B") == nil)
        #expect(labels.map(\.name) == ["_", "a", "b"])
        #expect(labels.dictionary == ["_": "5", "a": "4", "b": "1"])
    }

    @Test func subsetKeepsOnlyPresentNames() {
        let labels: LabelSet = ["alertname": "Down", "job": "api", "env": "prod"]
        #expect(labels.subset(["job", "cluster", "alertname"]) == ["alertname": "Down", "job": "api"])
        #expect(labels.subset([]) == LabelSet())
    }

    @Test func mergingPrefersTheOtherSet() {
        let merged = LabelSet(["a": "b"]).merging(["a": "c", "d": "e"])
        #expect(merged == ["a": "c", "d": "e"])
    }

    /// Go compares bytes: a precomposed and a decomposed "é" are different values.
    @Test func equalityAndHashingUseBytes() {
        let composed = LabelSet(["v": "\u{e9}"])
        let decomposed = LabelSet(["v": "e\u{301}"])
        #expect(composed != decomposed)
        #expect(composed.fingerprint() != decomposed.fingerprint())
        #expect(Set([composed, decomposed, LabelSet(["v": "\u{e9}"])]).count == 2)
    }

    /// Go's `LabelSet.Before`, which orders alerts in notifications.
    @Test(arguments: [
        (LabelSet(["a": "1"]), LabelSet(["a": "1", "b": "1"]), true),
        (LabelSet(["a": "1", "b": "1"]), LabelSet(["a": "1"]), false),
        (LabelSet(["a": "1"]), LabelSet(["a": "2"]), true),
        (LabelSet(["a": "2"]), LabelSet(["a": "1"]), false),
        (LabelSet(["a": "1"]), LabelSet(["b": "1"]), false),
        (LabelSet(["b": "1"]), LabelSet(["a": "1"]), true),
        (LabelSet(["a": "1", "c": "1"]), LabelSet(["a": "1", "b": "1"]), true),
        (LabelSet(["a": "1"]), LabelSet(["a": "1"]), false),
    ])
    func orderingIsGoBefore(lhs: LabelSet, rhs: LabelSet, before: Bool) {
        #expect((lhs < rhs) == before)
    }

    @Test(arguments: [
        ("job", true), ("_", true), ("__name__", true), ("a1", true), ("A_b", true),
        ("", false), ("1a", false), ("a:b", false), ("a-b", false), ("é", false), ("a b", false),
    ])
    func labelNamesFollowPrometheusRules(name: String, valid: Bool) {
        #expect(LabelSet.isValidName(name) == valid)
    }
}
