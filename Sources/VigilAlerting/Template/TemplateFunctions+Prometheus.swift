import Foundation
import VigilYAML

extension TemplateFunctions {
    /// The functions of Prometheus's alerting rule templates (`template.NewTemplateExpander`).
    ///
    /// The query functions (`query`, and `first`, `label`, `value`, `strvalue`, `sortByLabel` that
    /// only work on a query's result) and `args` are known but refused when a template is parsed:
    /// Vigil's rules do not run PromQL, so a template using them could never render.
    static let prometheus: [String: Function] = [
        "humanize": Function(parameters: [.any], result: .string) { _, values throws(TemplateError) in
            .string(humanize(try convertToFloat(values[0])))
        },
        "humanize1024": Function(parameters: [.any], result: .string) { _, values throws(TemplateError) in
            .string(humanize1024(try convertToFloat(values[0])))
        },
        "humanizeDuration": Function(parameters: [.any], result: .string) { _, values throws(TemplateError) in
            .string(humanizeDuration(try convertToFloat(values[0])))
        },
        "humanizePercentage": Function(parameters: [.any], result: .string) { _, values throws(TemplateError) in
            .string(significant(try convertToFloat(values[0]) * 100) + "%")
        },
        "humanizeTimestamp": Function(parameters: [.any], result: .string) { _, values throws(TemplateError) in
            let seconds = try convertToFloat(values[0])
            if seconds.isNaN || seconds.isInfinite { return .string(significant(seconds)) }
            return .string(try time(fromUnixSeconds: seconds).description)
        },
        "toTime": Function(parameters: [.any], result: .time) { _, values throws(TemplateError) in
            .time(try time(fromUnixSeconds: try convertToFloat(values[0])))
        },
        "parseDuration": Function(parameters: [.string], result: .float) { _, values throws(TemplateError) in
            .float(try durationSeconds(text(values[0])))
        },
        "toUpper": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in
            .string(TemplateCasing.upper(text(values[0])))
        },
        "toLower": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in
            .string(TemplateCasing.lower(text(values[0])))
        },
        "title": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in
            // cases.Title(language.AmericanEnglish, cases.NoLower): the rest of a word is kept.
            .string(TemplateCasing.title(text(values[0]), lowercasingRest: false))
        },
        "match": Function(parameters: [.string, .string], result: .bool) { _, values throws(TemplateError) in
            .bool(try TemplateRegex(text(values[0])).matches(text(values[1])))
        },
        "reReplaceAll": Function(parameters: [.string, .string, .string], result: .string) { _, values throws(TemplateError) in
            .string(try TemplateRegex(text(values[0])).replaceAll(in: text(values[2]), with: text(values[1])))
        },
        "safeHtml": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in values[0] },
        "graphLink": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in
            .string("/graph?g0.expr=\(TemplateEscaping.queryEscape(text(values[0])))&g0.tab=0")
        },
        "tableLink": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in
            .string("/graph?g0.expr=\(TemplateEscaping.queryEscape(text(values[0])))&g0.tab=1")
        },
        "stripPort": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in
            let hostPort = text(values[0])
            return .string(TemplateHostPort.split(hostPort)?.host ?? hostPort)
        },
        "stripDomain": Function(parameters: [.string], result: .string) { _, values throws(TemplateError) in
            .string(TemplateHostPort.stripDomain(text(values[0])))
        },
        "externalURL": Function(parameters: [], result: .string) { context, _ throws(TemplateError) in
            .string(context.externalURL)
        },
        "pathPrefix": Function(parameters: [], result: .string) { context, _ throws(TemplateError) in
            .string(URLComponents(string: context.externalURL)?.path ?? "")
        },
        "query": refused([.string], "rule templates cannot run PromQL queries"),
        "first": refused([.any], queryResultReason),
        "label": refused([.string, .any], queryResultReason),
        "value": refused([.any], queryResultReason),
        "strvalue": refused([.any], queryResultReason),
        "sortByLabel": refused([.string, .any], queryResultReason),
        "args": refused([.any], "it passes arguments between console templates, which rule templates do not have", variadic: true),
    ]

    private static let queryResultReason = "it reads query results, and rule templates cannot run PromQL queries"

    private static func refused(_ parameters: [Parameter], _ reason: String, variadic: Bool = false) -> Function {
        Function(parameters: parameters, isVariadic: variadic, unsupported: reason) { _, _ throws(TemplateError) in
            throw TemplateError(code: .unsupported, message: reason)
        }
    }

    /// `fmt.Sprintf("%.4g", v)`, the precision of every Prometheus humanizer.
    private static func significant(_ value: Double) -> String {
        TemplateFormatter.sprintf("%.4g", [.float(value)])
    }

    /// Prometheus's `humanize`: SI prefixes from `k` to `Y` and `m` to `y`, four significant digits.
    static func humanize(_ value: Double) -> String {
        if value == 0 || value.isNaN || value.isInfinite { return significant(value) }
        var scaled = value
        var prefix = ""
        if abs(scaled) >= 1 {
            for unit in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(scaled) < 1000 { break }
                prefix = unit
                scaled /= 1000
            }
        } else {
            for unit in ["m", "u", "n", "p", "f", "a", "z", "y"] {
                if abs(scaled) >= 1 { break }
                prefix = unit
                scaled *= 1000
            }
        }
        return significant(scaled) + prefix
    }

    /// Prometheus's `humanize1024`: binary prefixes from `ki` to `Yi`; nothing below 1.
    static func humanize1024(_ value: Double) -> String {
        if abs(value) <= 1 || value.isNaN || value.isInfinite { return significant(value) }
        var scaled = value
        var prefix = ""
        for unit in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(scaled) < 1024 { break }
            prefix = unit
            scaled /= 1024
        }
        return significant(scaled) + prefix
    }

    /// prometheus/common's `FloatToTime`: Unix seconds to a UTC time, cut to whole milliseconds
    /// (through `model.Time`).
    static func time(fromUnixSeconds seconds: Double) throws(TemplateError) -> TemplateTime {
        guard !seconds.isNaN, !seconds.isInfinite else { throw failure("value is NaN or Inf") }
        let nanoseconds = seconds * 1e9
        guard nanoseconds < 9.223372036854775807e18, nanoseconds >= -9.223372036854775808e18 else {
            throw failure("\(TemplateFormatter.shortest(seconds)) cannot be represented as a nanoseconds timestamp since it overflows int64")
        }
        let milliseconds = Int64(nanoseconds) / 1_000_000
        var wholeSeconds = milliseconds / 1000
        var nanosecond = milliseconds % 1000 * 1_000_000
        if nanosecond < 0 {
            wholeSeconds -= 1
            nanosecond += 1_000_000_000
        }
        return TemplateTime(unixSeconds: wholeSeconds, nanosecond: nanosecond)
    }

    /// `parseDuration`: a Prometheus duration (`1h30m`, `90s`, `0`) in seconds.
    static func durationSeconds(_ text: String) throws(TemplateError) -> Double {
        if text.isEmpty { throw failure("empty duration string") }
        // The shared parser trims spaces, which Prometheus does not.
        guard !text.contains(where: \.isWhitespace), let milliseconds = YAMLSection.parseDuration(text) else {
            throw failure("not a valid duration string: \(TemplateFormatter.quote(text))")
        }
        let (nanoseconds, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { throw failure("duration out of range") }
        return Double(nanoseconds) / 1e9
    }
}
