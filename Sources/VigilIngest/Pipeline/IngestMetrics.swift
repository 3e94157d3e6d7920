import Metrics
import VigilOTLP

/// The receivers' self-metrics, per signal: export requests by outcome and items dropped as
/// invalid (what `partial_success` counts). Exported on the API's `/metrics`.
struct IngestMetrics: Sendable {
    private let accepted: [OTLPSignal: Counter]
    private let refused: [OTLPSignal: [IngestError.Kind: Counter]]
    private let rejectedItems: [OTLPSignal: Counter]

    init() {
        var accepted: [OTLPSignal: Counter] = [:], refused: [OTLPSignal: [IngestError.Kind: Counter]] = [:], rejected: [OTLPSignal: Counter] = [:]
        for signal in OTLPSignal.allCases {
            accepted[signal] = Counter(label: "vigil_otlp_requests_total", dimensions: [("signal", signal.rawValue), ("outcome", "stored")])
            rejected[signal] = Counter(label: "vigil_otlp_rejected_items_total", dimensions: [("signal", signal.rawValue)])
            var byCode: [IngestError.Kind: Counter] = [:]
            for code in IngestError.Kind.allCases {
                byCode[code] = Counter(label: "vigil_otlp_requests_total", dimensions: [("signal", signal.rawValue), ("outcome", code.rawValue)])
            }
            refused[signal] = byCode
        }
        self.accepted = accepted
        self.refused = refused
        self.rejectedItems = rejected
    }

    func stored(_ signal: OTLPSignal, rejectedItems count: Int) {
        accepted[signal]?.increment()
        if count > 0 { rejectedItems[signal]?.increment(by: count) }
    }

    func refused(_ signal: OTLPSignal, _ code: IngestError.Kind) {
        refused[signal]?[code]?.increment()
    }
}
