import OTelSDK
import Testing

@Suite("TraceState")
struct TraceStateTests {
    @Test("a valid header parses, keeps order, and prints back")
    func parse() throws {
        let state = try #require(
            TraceState(headerValue: "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE,,\tfw529a3039@dt=x y")
        )
        #expect(state.entries.map(\.key) == ["rojo", "congo", "fw529a3039@dt"])
        #expect(state["congo"] == "t61rcWkgMzE")
        #expect(state["fw529a3039@dt"] == "x y")
        #expect(state.headerValue == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,fw529a3039@dt=x y")
        #expect(TraceState(headerValue: "") == .empty)
        #expect(TraceState(headerValue: " , ") == .empty)
    }

    @Test(
        "headers breaking the W3C rules are refused",
        arguments: [
            "Rojo=1",  // uppercase key
            "rojo",  // no '='
            "rojo=",  // empty value
            "rojo=a=b",  // '=' in the value
            "@vendor=1",  // a key starts with a letter or digit
            "_rojo=1",
            "tenant@Vendor=1",  // uppercase
            "foo.bar=1",  // '.' is no key character
            "rojo=caf\u{e9}",  // non-ASCII value
            "rojo=1,congo=2,Bad=3",  // one bad member spoils the header
        ]
    )
    func invalid(_ header: String) {
        #expect(TraceState(headerValue: header) == nil)
    }

    @Test(
        "Level 2 keys: a letter or digit, then up to 255 of a-z 0-9 _ - * / @",
        arguments: [
            "1rojo", "foo@", "foo@@bar", "a@b@c", "tenant@", "0", "a-z0-9_-*/@x",
        ]
    )
    func levelTwoKeys(_ key: String) throws {
        let state = try #require(TraceState(headerValue: "\(key)=1"))
        #expect(state[key] == "1")
    }

    @Test("a repeated key keeps the first entry instead of dropping the header")
    func repeatedKey() throws {
        #expect(try #require(TraceState(headerValue: "foo=1,foo=1")).entries == [.init(key: "foo", value: "1")])
        let state = try #require(TraceState(headerValue: "foo=1,bar=2,foo=3"))
        #expect(state.headerValue == "foo=1,bar=2")
    }

    @Test("several header fields joined with ',' parse as one; empty fields and whitespace are skipped")
    func joinedFields() throws {
        let state = try #require(
            TraceState(headerValue: ["foo=1,bar=2", "", " rojo=1 ,\tcongo=2", "baz=3", "foo=9"].joined(separator: ","))
        )
        #expect(state.headerValue == "foo=1,bar=2,rojo=1,congo=2,baz=3")
    }

    @Test("init(entries:) checks keys, values, repeats and the member limit")
    func validatedEntries() throws {
        #expect(
            try TraceState(entries: [.init(key: "rojo", value: "1"), .init(key: "congo@t", value: "x y")]).entries.count
                == 2
        )
        #expect(throws: TraceStateError.invalidKey("Rojo")) {
            try TraceState(entries: [.init(key: "Rojo", value: "1")])
        }
        #expect(throws: TraceStateError.invalidValue(key: "rojo", value: "a,b")) {
            try TraceState(entries: [.init(key: "rojo", value: "a,b")])
        }
        #expect(throws: TraceStateError.repeatedKey("rojo")) {
            try TraceState(entries: [.init(key: "rojo", value: "1"), .init(key: "rojo", value: "2")])
        }
        #expect(throws: TraceStateError.tooManyEntries(33)) {
            try TraceState(entries: (0..<33).map { .init(key: "k\($0)", value: "v") })
        }
    }

    @Test("insert, update and remove return a new valid trace state, modified keys first")
    func changes() throws {
        let state = try #require(TraceState(headerValue: "rojo=1,congo=2"))
        #expect(state.inserting(key: "new", value: "n").headerValue == "new=n,rojo=1,congo=2")
        #expect(state.inserting(key: "congo", value: "3").headerValue == "congo=3,rojo=1")
        #expect(state.updating(key: "congo", value: "3").headerValue == "congo=3,rojo=1")
        #expect(state.updating(key: "absent", value: "3") == state)
        #expect(state.removing(key: "rojo").headerValue == "congo=2")
        #expect(state.removing(key: "absent") == state)
        // Invalid changes leave the trace state as it was.
        #expect(state.inserting(key: "Bad", value: "1") == state)
        #expect(state.inserting(key: "ok", value: "trailing ") == state)
        #expect(state.updating(key: "rojo", value: "a=b") == state)
        // The 33rd entry is refused; replacing one of 32 is not.
        let full = try TraceState(entries: (0..<32).map { .init(key: "k\($0)", value: "v") })
        #expect(full.inserting(key: "k32", value: "v") == full)
        #expect(full.inserting(key: "k31", value: "w").entries.first == .init(key: "k31", value: "w"))
        #expect(state.headerValue == "rojo=1,congo=2")
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
        #expect(
            TraceState(headerValue: "\(String(repeating: "t", count: 200))@\(String(repeating: "s", count: 55))=1")
                != nil
        )
        let longestValue = String(repeating: "v", count: 256)
        #expect(TraceState(headerValue: "k=\(longestValue)") != nil)
        #expect(TraceState(headerValue: "k=\(longestValue)v") == nil)
    }
}
