// The thread-locals the header's inline functions reach; its hints need no source.
#include "COTelSDKShims.h"

__thread int otel_attribute_updates_running = 0;
__thread int otel_sdk_thread = 0;
__thread uint32_t otel_metrics_thread_stripe = 0;
__thread uint64_t otel_metrics_random_state = 0;

static uint32_t otel_metrics_threads_numbered = 0;

uint32_t otel_metrics_number_thread(void) {
    uint32_t number = __atomic_add_fetch(&otel_metrics_threads_numbered, 1, __ATOMIC_RELAXED);
    // Never 0, the "not numbered yet" mark; wrapping after 2^32 threads only shares stripes.
    if (number == 0) {
        number = 1;
    }
    otel_metrics_thread_stripe = number;
    return number;
}

uint64_t otel_metrics_seed_random(void) {
    // The state's address differs per thread; the stripe number and a golden-ratio multiply
    // spread it. Never 0, xorshift's fixed point.
    uint64_t seed = (uint64_t)(uintptr_t)&otel_metrics_random_state ^
        ((uint64_t)otel_metrics_stripe() * 0x9E3779B97F4A7C15ULL);
    if (seed == 0) {
        seed = 0x9E3779B97F4A7C15ULL;
    }
    otel_metrics_random_state = seed;
    return seed;
}
