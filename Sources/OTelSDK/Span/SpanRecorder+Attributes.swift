import COTelSDKShims
import Tracing

extension SpanRecorder {
    /// All attributes, as swift-distributed-tracing's type.
    var attributes: SpanAttributes {
        let attributes: SpanAttributes? = storage.withLock { state in
            if state.attributes.isEmpty, state.typedAttributes.isEmpty {
                // Handed over rather than shared: the caller (typically the protocol's default
                // `updateAttributes`, which sets the result back) then fills the room a
                // recycled recorder already has, instead of copying it on its first change.
                // A fresh recorder's has no room yet: room is made outside the lock.
                let taken = state.takeAttributes()
                return taken.hadRoom ? taken.attributes : nil
            }
            var attributes = state.attributes
            for attribute in state.typedAttributes {
                attributes.set(attribute.key, value: attribute.value.spanAttribute)
            }
            return attributes
        }
        return attributes ?? Self.attributesWithRoom()
    }

    func setAttribute(_ key: String, _ value: AttributeValue) {
        // Comparing lengths first skips most string comparisons: keys of one span rarely share one.
        let length = key.utf8.count
        // "The attribute key MUST be a non-null and non-empty string."
        guard length > 0 else { return }
        storage.withLock { state in
            guard !state.hasEnded else { return }
            state.generation &+= 1
            if let index = state.typedAttributes.firstIndex(where: { $0.key.utf8.count == length && $0.key == key }) {
                state.typedAttributes[index] = Attribute(key, value)
            } else if !state.attributes.isEmpty, state.attributes.get(key) != nil {
                state.attributes.set(key, value: value.spanAttribute)
            } else if state.attributeCount < spanLimits.attributeCountLimit {
                if state.typedAttributes.isEmpty {
                    state.typedAttributes.reserveCapacity(Self.typicalAttributeCount)
                }
                state.typedAttributes.append(Attribute(key, value))
            } else {
                state.droppedAttributeCount += 1
                reportLimit("attribute count", in: &state)
            }
        }
    }

    /// Replaces every attribute with `attributes`.
    func replaceAttributes(with attributes: SpanAttributes) {
        storage.withLock { state in
            guard !state.hasEnded else { return }
            state.generation &+= 1
            state.typedAttributes.removeAll()
            state.attributes = limited(attributes, in: &state)
            state.attributesHaveRoom = false
        }
    }

    /// `attributes` within the attribute count limit, the keys of `existing` kept first; what
    /// does not fit is counted dropped.
    private func limited(
        _ attributes: SpanAttributes,
        keepingFirstThoseIn existing: SpanAttributes? = nil,
        in state: inout State
    ) -> SpanAttributes {
        let limit = spanLimits.attributeCountLimit
        guard attributes.count > limit else { return attributes }
        let (kept, dropped) = SpanAttributeMerge.limited(
            attributes,
            keepingFirstThoseIn: existing ?? Self.noAttributes,
            limit: limit
        )
        state.droppedAttributeCount += dropped
        reportLimit("attribute count", in: &state)
        return kept
    }

    /// Runs `update` on the current attributes (outside the lock, so that it may use the
    /// span), then stores the result.
    ///
    /// When no other update is running, the dictionary is moved out for the update rather
    /// than copied, so that it is changed in place (no copy, and a recycled span's capacity is
    /// used); other threads meanwhile see the attributes empty, and what they set is kept,
    /// this update winning where it changed the same key. When another update is running,
    /// this one works on a copy and applies only what it changed. Either way every thread's
    /// sets survive (a removal racing another thread's update may not). An `end()` that comes
    /// meanwhile takes effect once the update has stored its result (see ``end(atUnixNano:)``).
    func updateAttributes(_ update: (inout SpanAttributes) -> Void) {
        // Filled by the first critical section; the only reference to its storage when moved
        // out, so that the update changes it in place.
        var attributes = Self.noAttributes
        let taken: (generation: Int, movedOut: Bool, hadRoom: Bool)? = storage.withLock { state in
            guard !state.hasEnded else { return nil }
            if !state.typedAttributes.isEmpty {
                for attribute in state.typedAttributes {
                    state.attributes.set(attribute.key, value: attribute.value.spanAttribute)
                }
                state.typedAttributes.removeAll(keepingCapacity: true)
            }
            let movedOut = state.updatesInProgress == 0
            var hadRoom = false
            if movedOut {
                (attributes, hadRoom) = state.takeAttributes()
            } else {
                attributes = state.attributes
            }
            state.generation &+= 1
            state.updatesInProgress += 1
            return (state.generation, movedOut, hadRoom)
        }
        guard let taken else { return }
        // What the attributes were, to tell what this update changed. Kept only when there
        // were some: sharing an empty dictionary's storage would make the update copy it.
        let wasEmpty = attributes.isEmpty
        let before = wasEmpty ? Self.noAttributes : attributes
        if wasEmpty, !taken.hadRoom {
            attributes = Self.attributesWithRoom()
        }
        // Counted so that an `end()` called from inside the closure knows not to wait for it.
        otel_attribute_update_began()
        update(&attributes)
        otel_attribute_update_ended()
        let merge = SpanAttributeMerge(before: before, updated: attributes)
        let endNow = storage.withLock { state -> Bool in
            let merged = merge.merged(
                with: state.attributes,
                updatedTheSpansOwn: taken.movedOut,
                changedMeanwhile: state.generation != taken.generation,
                typedMeanwhile: state.typedAttributes
            )
            state.typedAttributes.removeAll(keepingCapacity: true)
            state.attributes = limited(merged.attributes, keepingFirstThoseIn: merged.existing, in: &state)
            state.attributesHaveRoom = false
            state.generation &+= 1
            state.updatesInProgress -= 1
            guard state.updatesInProgress == 0, !state.endWaitsForUpdates, let pending = state.pendingEndUnixNano
            else { return false }
            state.pendingEndUnixNano = nil
            state.endTimeUnixNano = pending
            return true
        }
        if endNow {
            handToProcessors()
        }
    }
}
