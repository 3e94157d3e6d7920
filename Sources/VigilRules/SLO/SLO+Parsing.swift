import VigilAlerting
import VigilYAML

extension SLO {
    /// Objectives may have at most this many decimals (99.999999).
    static let maximumObjectiveDecimals = 6
    /// The longest `period` accepted: ten years.
    static let maximumPeriod: Duration = .seconds(3_650 * 86_400)

    /// Reads the `slo:` mapping of a rule.
    static func parse(_ section: inout YAMLSection, _ context: RuleParsingContext) throws(ConfigurationError) -> RuleKind {
        let name = try section.requiredText("name")
        guard isValidName(name) else {
            throw section.error("name", "\"\(name)\" must start with a letter or digit and hold only letters, digits and _ . : -")
        }
        if let first = context.sloLocations[name] { throw section.error("name", "SLO \"\(name)\" is already defined at \(first)") }
        let nameLine = section.error("name", "").line
        context.sloLocations[name] = nameLine.map { "\(section.file):\($0)" } ?? section.file

        let service = try section.requiredText("service")
        let objective = try parseObjective(try section.requiredText("objective"), in: section)
        let period = try section.ruleDuration("period", atLeast: .seconds(3_600), wholeMinutes: true) ?? defaultPeriod
        guard period <= maximumPeriod else { throw section.error("period", "must be at most 3650d") }

        var indicator: ServiceLevelIndicator?
        try section.section("sli") { (child: inout YAMLSection) throws(ConfigurationError) in
            indicator = try ServiceLevelIndicator.parse(&child, service: service)
        }
        guard let indicator else { throw section.error("sli", "is required: availability, latency or metric") }

        var tiers = BurnRateWindow.Severity.allCases.map { BurnRateTier(severity: $0) }
        try section.section("alerting") { (alerting: inout YAMLSection) throws(ConfigurationError) in
            for (index, severity) in BurnRateWindow.Severity.allCases.enumerated() {
                try alerting.section(severity.rawValue) { (child: inout YAMLSection) throws(ConfigurationError) in
                    tiers[index] = try BurnRateTier.parse(&child, severity: severity, period: period, context: context)
                }
            }
        }
        // Custom windows were checked where they are written; the workbook's may not fit a short period.
        for tier in tiers where tier.isEnabled {
            if let window = tier.windows.first(where: { $0.longWindow > period }) {
                let tierName = tier.severity.rawValue
                throw section.error(
                    "period",
                    "\(PrometheusDuration.format(period)) is shorter than the \(tierName) tier's \(PrometheusDuration.format(window.longWindow)) window; "
                        + "disable the tier (alerting.\(tierName).enabled: false) or give it shorter windows")
            }
        }
        guard let slo = SLO(name: name, service: service, objective: objective, period: period, indicator: indicator, page: tiers[0], ticket: tiers[1]) else {
            throw section.error("alerting", "a burn-rate threshold of this SLO cannot be represented exactly")
        }
        return .slo(slo)
    }

    /// `99.9` or `99.9%`: at least 1, below 100, at most six decimals.
    static func parseObjective(_ text: String, in section: YAMLSection) throws(ConfigurationError) -> ExactDecimal {
        var digits = text.trimmingSpaces()
        if digits.hasSuffix("%") { digits = String(digits.dropLast()).trimmingSpaces() }
        guard let objective = ExactDecimal(parsing: digits) else {
            throw section.error("objective", "\"\(text)\" is not a percentage such as 99.9")
        }
        guard objective.scale <= maximumObjectiveDecimals else {
            throw section.error("objective", "\(text) has more than \(maximumObjectiveDecimals) decimals")
        }
        guard objective > ExactDecimal(0), objective < ExactDecimal(100) else {
            throw section.error("objective", "\(text) must be above 0 and below 100 (percent)")
        }
        // Nobody aims for less than 1% good events; such a value is a fraction written by mistake.
        guard objective >= ExactDecimal(1) else {
            throw section.error("objective", "\(text) is a percentage: write 99.9 for 99.9%, not 0.999")
        }
        return objective
    }

    /// SLO names appear in labels and URLs: a letter or digit, then letters, digits, `_`, `.`, `:`, `-`.
    static func isValidName(_ name: String) -> Bool {
        let isAlphanumeric = { (byte: UInt8) in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard let first = name.utf8.first, isAlphanumeric(first) else { return false }
        return name.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "-") }
    }
}

extension BurnRateTier {
    /// Labels an SLO sets itself; a tier may only replace `severity`.
    static let reservedLabelNames = ["alertname", "slo", "service", "window"]

    /// Reads `slo.alerting.page` or `slo.alerting.ticket`.
    static func parse(_ section: inout YAMLSection, severity: BurnRateWindow.Severity, period: Duration, context: RuleParsingContext) throws(ConfigurationError) -> BurnRateTier {
        var isEnabled = true
        try section.bool("enabled") { isEnabled = $0 }
        let labelPairs = try section.labelTemplates("labels", context: context)
        for (name, _) in labelPairs where reservedLabelNames.contains(name) {
            throw section.error("labels", "\(name) is set by the SLO")
        }
        let annotations = try section.annotations("annotations", context: context)
        var windows: [Window]?
        if section.contains("windows") {
            var parsed: [Window] = []
            try section.sections("windows") { (child: inout YAMLSection, _: Int) throws(ConfigurationError) in
                let window = try Window.parse(&child, period: period, checkPeriod: isEnabled)
                if parsed.contains(where: { $0.longWindow == window.longWindow }) {
                    throw child.error("long", "the window \(PrometheusDuration.format(window.longWindow)) is listed twice in this tier")
                }
                parsed.append(window)
            }
            guard !parsed.isEmpty else { throw section.error("windows", "must list at least one window; to turn the tier off, set enabled: false") }
            windows = parsed
        }
        return BurnRateTier(severity: severity, isEnabled: isEnabled, labels: LabelSet(pairs: labelPairs), annotations: annotations, windows: windows)
    }
}

extension BurnRateTier.Window {
    /// Reads one `windows:` entry: `long`, `short` (default `long / 12`) and `budget` (`2%`).
    static func parse(_ section: inout YAMLSection, period: Duration, checkPeriod: Bool) throws(ConfigurationError) -> BurnRateTier.Window {
        guard let long = try section.ruleDuration("long", atLeast: .seconds(60), wholeMinutes: true) else {
            throw section.error("long", "is required: the long window, such as 1h")
        }
        if checkPeriod, long > period {
            throw section.error("long", "\(PrometheusDuration.format(long)) is longer than the SLO's period (\(PrometheusDuration.format(period)))")
        }
        let short: Duration
        if let given = try section.ruleDuration("short", atLeast: .seconds(60), wholeMinutes: true) {
            guard given < long else { throw section.error("short", "must be shorter than long (\(PrometheusDuration.format(long)))") }
            short = given
        } else {
            let twelfth = PrometheusDuration.milliseconds(of: long) / 12
            guard PrometheusDuration.milliseconds(of: long) % 12 == 0, twelfth % 60_000 == 0 else {
                throw section.error("long", "1/12 of \(PrometheusDuration.format(long)) is not a whole number of minutes; give short")
            }
            short = .milliseconds(twelfth)
        }
        let budgetText = try section.requiredText("budget")
        var digits = budgetText.trimmingSpaces()
        guard digits.hasSuffix("%") else { throw section.error("budget", "\"\(budgetText)\" is not a percentage of the error budget such as 2%") }
        digits = String(digits.dropLast()).trimmingSpaces()
        guard let percent = ExactDecimal(parsing: digits), percent.scale <= SLO.maximumObjectiveDecimals,
            percent > ExactDecimal(0), percent <= ExactDecimal(100), let fraction = percent.dividedByPowerOfTen(2)
        else {
            throw section.error("budget", "\"\(budgetText)\" is not a percentage above 0% and at most 100%, with at most 6 decimals")
        }
        return BurnRateTier.Window(longWindow: long, shortWindow: short, budgetFraction: fraction)
    }
}
