import OTelSDK
import Testing

@Suite("TraceState")
struct TraceStateTests {
    @Test("a valid header parses, keeps order, and prints back")
    func parse() throws {
        let state = try #require(TraceState(headerValue: "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE,,\tfw529a3039@dt=x y"))
        #expect(state.entries.map(\.key) == ["rojo", "congo", "fw529a3039@dt"])
        #expect(state["congo"] == "t61rcWkgMzE")
        #expect(state["fw529a3039@dt"] == "x y")
        #expect(state.headerValue == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,fw529a3039@dt=x y")
        #expect(TraceState(headerValue: "") == .empty)
        #expect(TraceState(headerValue: " , ") == .empty)
    }

    @Test("headers breaking the W3C rules are refused", arguments: [
        "Rojo=1",  // uppercase key
        "1rojo=1",  // simple key must start with a letter
        "rojo",  // no '='
        "rojo=",  // empty value
        "rojo=a,rojo=b",  // repeated key
        "rojo=a=b",  // '=' in the value
        "tenant@=1",  // empty system id
        "@vendor=1",  // empty tenant id
        "a@b@c=1",  // two '@'
        "tenant@Vendor=1",  // uppercase system id
        "rojo=caf\u{e9}",  // non-ASCII value
    ])
    func invalid(_ header: String) {
        #expect(TraceState(headerValue: header) == nil)
    }

    @Test("at most 32 entries")
    func entryLimit() {
        let members = (0..<33).map { "k\($0)=v" }
        #expect(TraceState(headerValue: members.prefix(32).joined(separator: ","))?.entries.count == 32)
        #expect(TraceState(headerValue: members.joined(separator: ",")) == nil)
    }

    @Test("key and value length limits")
    func lengthLimits() {
        let longestKey = "a" + String(repeating: "b", count: 255)
        #expect(TraceState(headerValue: "\(longestKey)=1") != nil)
        #expect(TraceState(headerValue: "\(longestKey)b=1") == nil)
        let longestValue = String(repeating: "v", count: 256)
        #expect(TraceState(headerValue: "k=\(longestValue)") != nil)
        #expect(TraceState(headerValue: "k=\(longestValue)v") == nil)
        let tenant = String(repeating: "t", count: 241)
        #expect(TraceState(headerValue: "\(tenant)@vendor=1") != nil)
        #expect(TraceState(headerValue: "\(tenant)t@vendor=1") == nil)
        #expect(TraceState(headerValue: "t@\(String(repeating: "s", count: 14))=1") != nil)
        #expect(TraceState(headerValue: "t@\(String(repeating: "s", count: 15))=1") == nil)
    }
}
