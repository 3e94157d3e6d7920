import VigilYAML

/// Reads the `time_intervals` (and deprecated `mute_time_intervals`) entries of the file.
enum TimeIntervalConfig {
    /// One `{name, time_intervals: [...]}` entry.
    static func parseNamed(_ section: inout YAMLSection) throws(ConfigurationError) -> (String, [TimeIntervalSpec]) {
        var name = ""
        try section.string("name") { name = $0 }
        guard !name.isEmpty else { throw section.error("name", "missing name in time interval") }
        var intervals: [TimeIntervalSpec] = []
        try section.sections("time_intervals") { (entry: inout YAMLSection, _: Int) throws(ConfigurationError) in
            intervals.append(try parse(&entry))
        }
        return (name, intervals)
    }

    static func parse(_ section: inout YAMLSection) throws(ConfigurationError) -> TimeIntervalSpec {
        var spec = TimeIntervalSpec()
        do {
            var times: [TimeIntervalSpec.TimeOfDayRange]?
            var failure: ConfigurationError?
            try section.sections("times") { (range: inout YAMLSection, _: Int) throws(ConfigurationError) in
                var start = "", end = ""
                try range.string("start_time") { start = $0 }
                try range.string("end_time") { end = $0 }
                do {
                    times = (times ?? []) + [try TimeIntervalSpec.parseTimeRange(start: start, end: end)]
                } catch {
                    failure = range.error("start_time", "\(error)")
                }
            }
            if let failure { throw failure }
            if section.contains("times") { spec.times = times ?? [] }
            spec.weekdays = try list(&section, "weekdays", TimeIntervalSpec.parseWeekdayRange)
            spec.daysOfMonth = try list(&section, "days_of_month", TimeIntervalSpec.parseDayOfMonthRange)
            spec.months = try list(&section, "months", TimeIntervalSpec.parseMonthRange)
            spec.years = try list(&section, "years", TimeIntervalSpec.parseYearRange)
            var location: String?
            try section.string("location") { location = $0 }
            if let location {
                do {
                    spec.location = try TimeIntervalSpec.parseLocation(location)
                } catch {
                    throw section.error("location", "\(error)")
                }
            }
        }
        return spec
    }

    private static func list<Range>(_ section: inout YAMLSection, _ key: String, _ parse: (String) throws(TimeIntervalError) -> Range) throws(ConfigurationError) -> [Range]? {
        var texts: [String]?
        try section.strings(key) { texts = $0 }
        guard let texts else { return nil }
        var result: [Range] = []
        for text in texts {
            do {
                result.append(try parse(text))
            } catch {
                throw section.error(key, "\(error)")
            }
        }
        return result
    }
}
