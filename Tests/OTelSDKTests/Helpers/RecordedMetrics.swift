import Metrics
import MetricsTestKit

/// swift-metrics, bootstrapped once for this test process with a backend that keeps what is
/// recorded. Tests that use it keep their series apart by their dimensions (each processor's
/// `otel.component.name`, each messaging test's destination), so tests that run at the same
/// time do not mix.
let recordedMetrics: TestMetrics = {
    let metrics = TestMetrics()
    MetricsSystem.bootstrap(metrics)
    return metrics
}()
