import VigilAlerting

extension SeriesSelector {
    /// True when the series' attributes (its data point's over its resource's) satisfy every
    /// attribute matcher; a missing attribute reads as `""`, so `env!="dev"` also matches series
    /// without `env`. The metric name and services are chosen by the data source.
    public func matches(_ series: MetricSeriesWindow) -> Bool {
        attributeMatchers.allSatisfy { $0.matches(series.attributes[$0.name] ?? "") }
    }
}
