import OTelSDK
import Testing

@Suite("Resource")
struct ResourceTests {
    @Test("a repeated key keeps its first position and its last value")
    func repeatedKeys() {
        let resource = Resource(attributes: [Attribute("a", 1), Attribute("service.name", "x"), Attribute("a", 2)])
        #expect(resource.attributes == [Attribute("a", 2), Attribute("service.name", "x")])
        #expect(resource.serviceName == "x")
    }

    @Test("a dictionary gives keys in sorted order; equality is by value")
    func dictionary() {
        let resource = Resource(attributes: ["z": 1, "service.name": "checkout", "a": true])
        #expect(resource.attributes.map(\.key) == ["a", "service.name", "z"])
        #expect(resource == Resource(attributes: ["a": true, "service.name": "checkout", "z": 1]))
        #expect(resource != Resource(attributes: ["a": true, "service.name": "other", "z": 1]))
    }
}
