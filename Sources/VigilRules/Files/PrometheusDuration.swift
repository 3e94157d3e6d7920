import VigilYAML

/// Durations as Prometheus writes them in rule files and labels: `30s`, `5m`, `1h30m`, `3d`.
public enum PrometheusDuration {
    /// Parses `1h30m`, `500ms`, `2d`, `1w`, `1y` (= 365d): units y, w, d, h, m, s, ms, largest
    /// first, each at most once; `0` alone is zero. `nil` for anything else.
    public static func parse(_ text: String) -> Duration? {
        YAMLSection.parseDuration(text).map { .milliseconds($0) }
    }

    /// Prometheus's `model.Duration.String()`: `0s`, `5m`, `1h30m`, `1d`, `3d`, `1w` (weeks and
    /// years only when they divide the duration exactly, so 30 days is `30d`, not `4w2d`).
    /// Parts below a millisecond are dropped.
    public static func format(_ duration: Duration) -> String {
        var milliseconds = milliseconds(of: duration)
        guard milliseconds > 0 else { return "0s" }
        var text = ""
        let units: [(String, Int64, exact: Bool)] = [
            ("y", 31_536_000_000, true), ("w", 604_800_000, true), ("d", 86_400_000, false),
            ("h", 3_600_000, false), ("m", 60_000, false), ("s", 1_000, false), ("ms", 1, false),
        ]
        for (unit, size, exact) in units {
            if exact, milliseconds % size != 0 { continue }
            let count = milliseconds / size
            guard count > 0 else { continue }
            text += "\(count)\(unit)"
            milliseconds -= count * size
        }
        return text
    }

    /// Whole milliseconds of a non-negative duration (negative durations count as zero).
    static func milliseconds(of duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    /// Whole seconds of a duration (the fraction of a second is dropped).
    static func seconds(of duration: Duration) -> Int64 {
        duration.components.seconds
    }
}
