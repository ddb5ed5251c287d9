import Synchronization

/// The subscribers of ``PipelineRunner/events``: each gets every event of the run as an
/// `AsyncStream`, which finishes when the run ends (returns or throws).
final class RunEventBroadcast: Sendable {
    private struct Subscribers {
        var next = 0
        var continuations: [Int: AsyncStream<RunEvent>.Continuation] = [:]
    }

    private let subscribers = Mutex(Subscribers())

    /// A new stream of the events from now until the run ends.
    func subscribe() -> AsyncStream<RunEvent> {
        let (stream, continuation) = AsyncStream<RunEvent>.makeStream()
        let id = subscribers.withLock { s -> Int in
            defer { s.next += 1 }
            s.continuations[s.next] = continuation
            return s.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Hands `event` to every subscriber.
    func yield(_ event: RunEvent) {
        for continuation in subscribers.withLock({ Array($0.continuations.values) }) { continuation.yield(event) }
    }

    /// Finishes every stream (the run ended); later subscribers get the next run's events.
    func finish() {
        let all = subscribers.withLock { s -> [AsyncStream<RunEvent>.Continuation] in
            defer { s.continuations.removeAll() }
            return Array(s.continuations.values)
        }
        for continuation in all { continuation.finish() }
    }
}
