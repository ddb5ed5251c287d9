/// The check every evaluator makes on a batch of per-item backend results: one result per
/// item, and failures (after the backend's retries) within `task.max_failure_rate`.
struct FailureLimit {
    /// The largest fraction of items that may fail.
    let rate: Double

    /// Throws a ``BackendError`` when `results` has the wrong count, or more failures than the
    /// limit allows (naming the count, the limit and the first failure); `what` names the items.
    func check<T>(_ results: [Result<T, BackendError>], expected: Int, backend: Backend, what: String) throws {
        guard results.count == expected else {
            throw BackendError("backend \(backend.name) returned \(results.count) results for \(expected) \(what)")
        }
        let failures = results.compactMap { if case .failure(let e) = $0 { return e } else { return nil } }
        if let first = failures.first, Double(failures.count) > rate * Double(expected) {
            throw BackendError("backend \(backend.name) failed on \(failures.count) of \(expected) \(what), more than task.max_failure_rate (\(rate)) allows; first failure: \(first.message)")
        }
    }
}
