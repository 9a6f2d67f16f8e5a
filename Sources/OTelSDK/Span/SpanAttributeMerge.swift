import Tracing

/// Joins what an `updateAttributes` closure made of a span's attributes with what the span
/// holds when the update is stored, so that no thread's sets are lost.
///
/// The closure runs outside the recorder's lock, so other threads may set attributes
/// meanwhile. It works either on the span's own attributes, moved out of the recorder (no
/// other update was running; others meanwhile saw the span without attributes and set theirs
/// on the empty dictionary), or on a copy (another update was running). Either way the update
/// wins on the keys it changed, and every other key keeps what the span has now.
struct SpanAttributeMerge {
    /// The attributes the closure was given.
    let before: SpanAttributes
    /// What the closure left.
    let updated: SpanAttributes

    /// Whether the update set, replaced or removed `key`.
    func changed(_ key: String) -> Bool {
        before.get(key) != updated.get(key)
    }

    /// The attributes to store.
    /// - Parameters:
    ///   - current: what the span holds when the update is stored.
    ///   - updatedTheSpansOwn: whether the closure was given the span's own attributes (moved
    ///     out), rather than a copy.
    ///   - changedMeanwhile: whether `current` changed while the closure ran.
    ///   - typedMeanwhile: attributes set through `setAttribute` meanwhile, which are not in
    ///     `current`.
    /// - Returns: the merged attributes, and the attributes that were the span's before the
    ///   update (their keys are kept first when the count limit applies).
    func merged(
        with current: SpanAttributes,
        updatedTheSpansOwn: Bool,
        changedMeanwhile: Bool,
        typedMeanwhile: [Attribute]
    ) -> (attributes: SpanAttributes, existing: SpanAttributes) {
        var result: SpanAttributes
        let existing: SpanAttributes
        if updatedTheSpansOwn {
            result = updated
            existing = before
            if changedMeanwhile {
                current.forEach { key, value in
                    if !changed(key) { result.set(key, value: value) }
                }
            }
        } else {
            result = current
            existing = current
            before.forEach { key, _ in
                if updated.get(key) == nil { result.set(key, value: nil) }
            }
            updated.forEach { key, value in
                if changed(key) { result.set(key, value: value) }
            }
        }
        for typed in typedMeanwhile where !changed(typed.key) {
            result.set(typed.key, value: typed.value.spanAttribute)
        }
        return (result, existing)
    }

    /// `attributes` within `limit`: the keys of `existing` first, then the others, in the
    /// dictionary's order; with how many did not fit.
    static func limited(
        _ attributes: SpanAttributes,
        keepingFirstThoseIn existing: SpanAttributes,
        limit: Int
    ) -> (kept: SpanAttributes, dropped: Int) {
        guard attributes.count > limit else { return (attributes, 0) }
        var kept = SpanRecorder.noAttributes
        kept.reserveCapacity(limit)
        existing.forEach { key, _ in
            if kept.count < limit, let value = attributes.get(key) { kept.set(key, value: value) }
        }
        attributes.forEach { key, value in
            if kept.count < limit, kept.get(key) == nil { kept.set(key, value: value) }
        }
        return (kept, attributes.count - kept.count)
    }
}
