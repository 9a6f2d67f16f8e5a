import COTelSDKShims
import Tracing

extension SpanRecorder {
    /// What a span has been given so far, behind the recorder's lock.
    struct State {
        var name: String
        /// Set through ``setAttribute(_:_:)``, in order; no key is also in `attributes`.
        var typedAttributes: [Attribute] = []
        /// Set through `SpanAttributes` (updateAttributes, the attributes setter).
        var attributes = SpanRecorder.noAttributes
        /// Whether `attributes` was made with room for a typical span's (see ``reset(name:)``),
        /// so that an update that takes it out empty need not make room.
        var attributesHaveRoom = false
        /// Changes whenever `attributes` or `typedAttributes` change, so that an update can
        /// tell whether another thread changed them while its closure ran.
        var generation = 0
        var events: [SpanEvent] = []
        /// `events` as the last ``spanData()`` made them.
        var frozenEvents: [SpanData.Event] = []
        var links: [PendingLink] = []
        var status: SpanStatus?
        var droppedAttributeCount = 0
        var droppedEventCount = 0
        var droppedLinkCount = 0
        var endTimeUnixNano: UInt64?
        /// `updateAttributes` calls whose closure is running, with the attributes taken out.
        var updatesInProgress = 0
        /// An end that came while an update was running: the thread that ended the span waits
        /// for the updates (``endWaitsForUpdates``), or else the last update to finish ends it.
        var pendingEndUnixNano: UInt64?
        /// Whether the thread that ended the span waits for the running updates to finish.
        var endWaitsForUpdates = false
        var reportedLimit = false

        var attributeCount: Int { typedAttributes.count + attributes.count }

        /// Ended, or asked to end: no more changes are taken.
        var hasEnded: Bool { endTimeUnixNano != nil || pendingEndUnixNano != nil }

        /// Moves `attributes` out, leaving them empty; with whether they were made with room.
        mutating func takeAttributes() -> (attributes: SpanAttributes, hadRoom: Bool) {
            var taken = SpanRecorder.noAttributes
            swap(&taken, &attributes)
            defer { attributesHaveRoom = false }
            return (taken, attributesHaveRoom)
        }

        /// Asks the processor to fetch, for writing, the arrays that a span fills. Arrays without
        /// storage of their own are left alone: they all share one empty array, which every
        /// thread reads.
        func prefetchForWrite() {
            typedAttributes.withUnsafeBufferPointer {
                prefetchForWrite($0.baseAddress, capacity: typedAttributes.capacity)
            }
            events.withUnsafeBufferPointer { prefetchForWrite($0.baseAddress, capacity: events.capacity) }
        }

        private func prefetchForWrite<Element>(_ elements: UnsafePointer<Element>?, capacity: Int) {
            guard capacity > 0 else { return }
            otel_prefetch_for_write(elements, capacity * MemoryLayout<Element>.stride)
        }

        /// Empty again, for the next span, keeping what was allocated.
        mutating func reset(name: String) {
            self.name = name
            typedAttributes.emptyKeepingStorage()
            if !attributes.isEmpty {
                // Emptied in place, keeping the room the span's attributes took; where that
                // cannot be done, a new dictionary with room for a typical span's (removing
                // each key would hash every key again). Either way on the thread that
                // recycles: the app thread that reuses this recorder neither allocates nor frees.
                let room = attributes.removeAllKeepingCapacity() ?? 0
                if room < SpanRecorder.typicalAttributeCount {
                    attributes = SpanRecorder.attributesWithRoom()
                }
                attributesHaveRoom = true
            }
            generation = 0
            events.emptyKeepingStorage()
            frozenEvents.emptyKeepingStorage()
            links.emptyKeepingStorage()
            status = nil
            droppedAttributeCount = 0
            droppedEventCount = 0
            droppedLinkCount = 0
            endTimeUnixNano = nil
            updatesInProgress = 0
            pendingEndUnixNano = nil
            endWaitsForUpdates = false
            reportedLimit = false
        }
    }
}
