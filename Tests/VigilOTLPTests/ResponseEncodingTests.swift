import Testing
import VigilTestSupport
import VigilModel
@testable import VigilOTLP

@Suite struct ResponseEncodingTests {
    @Test func fullSuccessLeavesPartialSuccessUnset() {
        #expect(OTLPResponse.protobuf(rejected: Rejections()).isEmpty)
        #expect(String(decoding: OTLPResponse.json(rejected: Rejections(), signal: .traces), as: UTF8.self) == "{}")
    }

    @Test func partialSuccessCountsAndNamesTheFirstProblem() {
        let rejected = Rejections(count: 2, firstMessage: "bad id")
        #expect(String(decoding: OTLPResponse.json(rejected: rejected, signal: .logs), as: UTF8.self)
            == #"{"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"bad id"}}"#)
        // field 1 (partial_success) { field 1 varint 2, field 2 "bad id" }
        #expect(OTLPResponse.protobuf(rejected: rejected) == [0x0a, 0x0a, 0x08, 0x02, 0x12, 0x06] + Array("bad id".utf8))
    }

    @Test func statusCarriesRetryInfoWhenRetryHelps() {
        #expect(String(decoding: OTLPResponse.statusJSON(code: 14, message: "later", retryAfterSeconds: 5), as: UTF8.self)
            == #"{"code":14,"message":"later","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"5s"}]}"#)
        let proto = OTLPResponse.statusProtobuf(code: 3, message: "bad")
        #expect(proto == [0x08, 0x03, 0x12, 0x03] + Array("bad".utf8))
        let withRetry = OTLPResponse.statusProtobuf(code: 14, message: "", retryAfterSeconds: 2)
        let typeURL = Array("type.googleapis.com/google.rpc.RetryInfo".utf8)
        #expect(withRetry.firstRange(of: typeURL) != nil)
        #expect(Array(withRetry.suffix(6)) == [0x12, 0x04, 0x0a, 0x02, 0x08, 0x02])
    }
}
