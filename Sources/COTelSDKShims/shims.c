// The thread-locals the header's inline functions reach; its hints need no source.
#include "COTelSDKShims.h"

__thread int otel_attribute_updates_running = 0;
__thread int otel_sdk_thread = 0;
#include <unistd.h>

__thread uint32_t otel_metrics_thread_has_stripe = 0;
__thread uint32_t otel_metrics_thread_stripe_offset = 0;
__thread uint64_t otel_metrics_random_state = 0;

static uint32_t otel_metrics_threads_numbered = 0;

uint32_t otel_metrics_stripe_count(void) {
    static uint32_t count = 0;
    uint32_t known = __atomic_load_n(&count, __ATOMIC_RELAXED);
    if (known != 0) {
        return known;
    }
    long processors = sysconf(_SC_NPROCESSORS_ONLN);
    uint32_t stripes = 1;
    while (stripes < 16 && (long)stripes < processors) {
        stripes <<= 1;
    }
    // The first value stored wins, so that every series and every thread agree on it even if
    // a processor came online between two threads' first calls.
    uint32_t expected = 0;
    if (!__atomic_compare_exchange_n(&count, &expected, stripes, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
        return expected;
    }
    return stripes;
}

void otel_metrics_assign_stripe(void) {
    uint32_t number = __atomic_fetch_add(&otel_metrics_threads_numbered, 1, __ATOMIC_RELAXED);
    otel_metrics_thread_stripe_offset = (number & (otel_metrics_stripe_count() - 1)) * OTEL_METRICS_STRIPE_BYTES;
    otel_metrics_thread_has_stripe = 1;
}

uint64_t otel_metrics_seed_random(void) {
    // The state's address differs per thread; the stripe and a golden-ratio multiply spread it.
    // Never 0, xorshift's fixed point.
    uint64_t seed = (uint64_t)(uintptr_t)&otel_metrics_random_state ^
        ((uint64_t)otel_metrics_stripe_offset() * 0x9E3779B97F4A7C15ULL);
    if (seed == 0) {
        seed = 0x9E3779B97F4A7C15ULL;
    }
    otel_metrics_random_state = seed;
    return seed;
}
