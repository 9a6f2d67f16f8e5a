import OTelSDK
import Testing

@Suite("Resource detection")
struct ResourceDetectionTests {
    @Test("SDK defaults are present")
    func defaults() {
        let resource = Resource.detected(environment: OTelEnvironment([:]))
        #expect(resource.serviceName?.hasPrefix("unknown_service:") == true)
        #expect(resource.attributes["telemetry.sdk.language"] == "swift")
        #expect(resource.attributes["telemetry.sdk.version"] == .string(Resource.sdkVersion))
        #expect(resource.attributes["telemetry.sdk.name"] != nil)
        #expect(resource.attributes["process.pid"] != nil)
        #expect(resource.attributes["host.name"] != nil)
        #expect(resource.attributes["os.type"] == "linux")
    }

    @Test("precedence: defaults < OTEL_RESOURCE_ATTRIBUTES < OTEL_SERVICE_NAME < the application's attributes")
    func precedence() {
        let environment = OTelEnvironment([
            "OTEL_RESOURCE_ATTRIBUTES":
                "service.name=from-list,deployment.environment=prod%20eu,team=a%3Db, os.type = plan9,cost%2Ccenter=42"
        ])
        let fromList = Resource.detected(environment: environment)
        #expect(fromList.serviceName == "from-list")
        #expect(fromList.attributes["deployment.environment"] == "prod eu")
        #expect(fromList.attributes["team"] == "a=b")
        #expect(fromList.attributes["os.type"] == "plan9")
        // Keys are percent-decoded like values.
        #expect(fromList.attributes["cost,center"] == "42")

        let withServiceName = OTelEnvironment(environment.values.merging(["OTEL_SERVICE_NAME": "from-variable"]) { $1 })
        #expect(Resource.detected(environment: withServiceName).serviceName == "from-variable")

        let fromCode = Resource.detected(
            attributes: [Attribute("service.name", "from-code"), Attribute("team", "c")],
            environment: withServiceName
        )
        #expect(fromCode.serviceName == "from-code")
        #expect(fromCode.attributes["team"] == "c")
        #expect(fromCode.attributes["deployment.environment"] == "prod eu")
    }

    @Test("a malformed OTEL_RESOURCE_ATTRIBUTES is ignored whole", arguments: ["a=1,broken", "a=1,=2", "a=%zz"])
    func malformed(list: String) {
        let resource = Resource.detected(environment: OTelEnvironment(["OTEL_RESOURCE_ATTRIBUTES": list]))
        #expect(resource.attributes["a"] == nil)
        #expect(resource.serviceName?.hasPrefix("unknown_service:") == true)
    }
}
