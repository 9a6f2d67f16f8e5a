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

    @Test("an attribute with an empty key is left out")
    func emptyKey() {
        #expect(Resource(attributes: [Attribute("", 1), Attribute("a", 2)]).attributes == [Attribute("a", 2)])
        #expect(
            InstrumentationScope(name: "s", attributes: [Attribute("", 1), Attribute("b", 2)]).attributes == [
                Attribute("b", 2)
            ]
        )
    }

    @Test("merge: the updating resource's values win, even empty ones; new keys join; counts add up")
    func merge() {
        let old = Resource(
            attributes: [Attribute("service.name", "old"), Attribute("a", 1), Attribute("b", "x")],
            droppedAttributeCount: 1
        )
        let updating = Resource(
            attributes: [Attribute("b", ""), Attribute("c", true), Attribute("service.name", "new")],
            droppedAttributeCount: 2
        )
        let merged = old.merging(updating)
        #expect(
            merged.attributes == [
                Attribute("service.name", "new"), Attribute("a", 1), Attribute("b", ""), Attribute("c", true),
            ]
        )
        #expect(merged.droppedAttributeCount == 3)
        // Schema URLs: the one that is set; the updating one's when both are.
        let withSchema = Resource(attributes: [], schemaURL: "https://opentelemetry.io/schemas/1.26.0")
        #expect(old.merging(withSchema).schemaURL == withSchema.schemaURL)
        #expect(withSchema.merging(old).schemaURL == withSchema.schemaURL)
        let newer = Resource(attributes: [], schemaURL: "https://opentelemetry.io/schemas/1.27.0")
        #expect(withSchema.merging(newer).schemaURL == newer.schemaURL)
    }

    @Test("merge: an empty schema URL counts as unset, on either side")
    func emptySchemaURL() {
        let old = Resource(attributes: [], schemaURL: "https://opentelemetry.io/schemas/1.26.0")
        let empty = Resource(attributes: [], schemaURL: "")
        #expect(old.merging(empty).schemaURL == "https://opentelemetry.io/schemas/1.26.0")
        #expect(empty.merging(old).schemaURL == "https://opentelemetry.io/schemas/1.26.0")
    }

    @Test("a provider's resource is merged over the environment's, the provider's attributes winning")
    func providerMergesOverEnvironment() {
        let provider = TracerProvider(
            resource: Resource(attributes: [Attribute("service.name", "from-code"), Attribute("team", "code")]),
            environment: OTelEnvironment([
                "OTEL_RESOURCE_ATTRIBUTES": "team=env,region=eu", "OTEL_SERVICE_NAME": "from-variable",
            ])
        )
        #expect(provider.resource.serviceName == "from-code")
        #expect(provider.resource.attributes["team"] == "code")
        #expect(provider.resource.attributes["region"] == "eu")
        #expect(provider.resource.attributes["telemetry.sdk.language"] == "swift")
    }

    @Test("a dictionary gives keys in sorted order; equality is by value")
    func dictionary() {
        let resource = Resource(attributes: ["z": 1, "service.name": "checkout", "a": true])
        #expect(resource.attributes.map(\.key) == ["a", "service.name", "z"])
        #expect(resource == Resource(attributes: ["a": true, "service.name": "checkout", "z": 1]))
        #expect(resource != Resource(attributes: ["a": true, "service.name": "other", "z": 1]))
    }
}
