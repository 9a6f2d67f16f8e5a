// What Swift cannot say: hints to the processor for the SDK's hot paths, and thread-locals it reaches in one instruction.
#ifndef C_OTEL_SDK_SHIMS_H
#define C_OTEL_SDK_SHIMS_H

#include <stddef.h>
#include <stdint.h>

/// A span's storage and its arrays span a few lines; more than this would only evict what the
/// thread is using, and exceed the misses a core keeps in flight.
#define OTEL_PREFETCH_MAX_LINES 8

/// Asks the processor to fetch the cache lines of [start, start + byte_count), at most
/// `OTEL_PREFETCH_MAX_LINES` of them, for writing, without waiting for them: for memory another
/// core wrote last, about to be written here. The misses then overlap instead of each stalling
/// in turn. Only a hint: any address, even a stale one, is safe; zero bytes fetch nothing.
#if defined(__x86_64__)
// PREFETCHW fetches the line in the exclusive state (x86-64 compilers otherwise emit a read prefetch).
__attribute__((target("prfchw")))
#endif
static inline void otel_prefetch_for_write(const void *start, size_t byte_count) {
    const uintptr_t line_size = 64;
    if (byte_count == 0) {
        return;
    }
    if (byte_count > OTEL_PREFETCH_MAX_LINES * line_size) {
        byte_count = OTEL_PREFETCH_MAX_LINES * line_size;
    }
    uintptr_t line = (uintptr_t)start & ~(line_size - 1);
    const uintptr_t end = (uintptr_t)start + byte_count;
    for (; line < end; line += line_size) {
        __builtin_prefetch((const void *)line, 1, 3);
    }
}

/// How many `updateAttributes` closures this thread is running now. A span's `end()` waits for
/// updates running on other threads, and must not wait for one running on its own (it would
/// never finish). Initial-exec: one instruction to reach, where the default model costs a call.
extern __thread int otel_attribute_updates_running __attribute__((tls_model("initial-exec")));

static inline void otel_attribute_update_began(void) { otel_attribute_updates_running += 1; }

static inline void otel_attribute_update_ended(void) { otel_attribute_updates_running -= 1; }

static inline int otel_attribute_updates_running_on_this_thread(void) { return otel_attribute_updates_running; }

/// Set on the SDK's own threads (batch workers, delivery lanes), so that a log handler can
/// keep the SDK's diagnostics logged there out of the pipeline that exports them.
extern __thread int otel_sdk_thread __attribute__((tls_model("initial-exec")));

static inline void otel_sdk_thread_mark_current(void) { otel_sdk_thread = 1; }

static inline int otel_sdk_thread_is_current(void) { return otel_sdk_thread; }

/// How many stripes a metric series has: the processors online rounded up to a power of two,
/// at most 16 (more stripes than cores would only spread a series over more memory).
uint32_t otel_metrics_stripe_count(void);

/// The bytes a series' smallest stripe takes: 128, the pair of cache lines x86 processors fetch
/// together, so that neighbouring stripes never share one.
#define OTEL_METRICS_STRIPE_BYTES 128

/// Whether this thread has its stripe yet, and the stripe, as a byte offset into a series whose
/// stripes take OTEL_METRICS_STRIPE_BYTES (twice, four times ... that for wider stripes).
/// Threads are given stripes in turn as they first record, so that two threads take different
/// ones. An offset, not an index: the recording path adds it to the series' address directly.
extern __thread uint32_t otel_metrics_thread_has_stripe __attribute__((tls_model("initial-exec")));
extern __thread uint32_t otel_metrics_thread_stripe_offset __attribute__((tls_model("initial-exec")));

/// Gives the calling thread its stripe (the slow path of `otel_metrics_stripe_offset`).
void otel_metrics_assign_stripe(void);

static inline uint32_t otel_metrics_stripe_offset(void) {
    // A predicted branch: the offset's load does not wait for it.
    if (__builtin_expect(!otel_metrics_thread_has_stripe, 0)) {
        otel_metrics_assign_stripe();
    }
    return otel_metrics_thread_stripe_offset;
}

/// This thread's xorshift64* state for exemplar reservoir sampling, seeded on first use.
extern __thread uint64_t otel_metrics_random_state __attribute__((tls_model("initial-exec")));

/// Seeds the calling thread's generator (the slow path of `otel_metrics_random`).
uint64_t otel_metrics_seed_random(void);

/// A pseudo-random number, per thread, without locks: for choosing which measurement a
/// reservoir keeps, where only uniformity matters.
static inline uint64_t otel_metrics_random(void) {
    uint64_t state = otel_metrics_random_state;
    if (__builtin_expect(state == 0, 0)) {
        state = otel_metrics_seed_random();
    }
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    otel_metrics_random_state = state;
    return state * 0x2545F4914F6CDD1DULL;
}

#endif
