import Foundation
import VigilAlerting

/// The persisted form of an alert: labels and annotations as objects, the state as its name,
/// times as the encoder writes dates, absent times left out.
///
/// `value` is a number, or the string `"NaN"`, `"+Inf"` or `"-Inf"`, which JSON numbers cannot
/// hold and which rule values can be.
extension ActiveRuleAlert: Codable {
    private enum CodingKeys: String, CodingKey {
        case labels, annotations, state, value, activeAt, firedAt, resolvedAt, lastSentAt, validUntil, keepFiringSince
        case lastEvaluatedAt, evidence, generatorURL
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let stateName = try container.decode(String.self, forKey: .state)
        guard let state = State(rawValue: stateName) else {
            throw DecodingError.dataCorruptedError(forKey: .state, in: container, debugDescription: "unknown alert state \(stateName)")
        }
        let value: Double
        if let number = try? container.decode(Double.self, forKey: .value) {
            value = number
        } else {
            let text = try container.decode(String.self, forKey: .value)
            switch text {
            case "NaN": value = .nan
            case "+Inf": value = .infinity
            case "-Inf": value = -.infinity
            default: throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "not a number: \(text)")
            }
        }
        self.init(
            labels: LabelSet(try container.decode([String: String].self, forKey: .labels)),
            annotations: LabelSet(try container.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:]),
            state: state,
            value: value,
            activeAt: try container.decode(Date.self, forKey: .activeAt),
            firedAt: try container.decodeIfPresent(Date.self, forKey: .firedAt),
            resolvedAt: try container.decodeIfPresent(Date.self, forKey: .resolvedAt),
            lastSentAt: try container.decodeIfPresent(Date.self, forKey: .lastSentAt),
            validUntil: try container.decodeIfPresent(Date.self, forKey: .validUntil),
            keepFiringSince: try container.decodeIfPresent(Date.self, forKey: .keepFiringSince),
            lastEvaluatedAt: try container.decodeIfPresent(Date.self, forKey: .lastEvaluatedAt),
            evidence: try container.decodeIfPresent([String].self, forKey: .evidence) ?? [],
            generatorURL: try container.decodeIfPresent(String.self, forKey: .generatorURL) ?? "")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(labels.dictionary, forKey: .labels)
        try container.encode(annotations.dictionary, forKey: .annotations)
        try container.encode(state.rawValue, forKey: .state)
        if value.isNaN {
            try container.encode("NaN", forKey: .value)
        } else if value.isInfinite {
            try container.encode(value < 0 ? "-Inf" : "+Inf", forKey: .value)
        } else {
            try container.encode(value, forKey: .value)
        }
        try container.encode(activeAt, forKey: .activeAt)
        try container.encodeIfPresent(firedAt, forKey: .firedAt)
        try container.encodeIfPresent(resolvedAt, forKey: .resolvedAt)
        try container.encodeIfPresent(lastSentAt, forKey: .lastSentAt)
        try container.encodeIfPresent(validUntil, forKey: .validUntil)
        try container.encodeIfPresent(keepFiringSince, forKey: .keepFiringSince)
        try container.encodeIfPresent(lastEvaluatedAt, forKey: .lastEvaluatedAt)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(generatorURL, forKey: .generatorURL)
    }
}
