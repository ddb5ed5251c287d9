import Foundation
import HoneSDK
import Logging
import Synchronization

/// The runner's event hub for one session: it turns what the runner and the running stage
/// report into ``RunEvent``s, keeps each stage's ``StageProgress`` (best scores so far, calls,
/// cache hits, ETA) and hands every event to the run's `events.jsonl` and to
/// ``PipelineRunner/onEvent``.
final class RunMonitor: Sendable {
    private struct Stage {
        var progress: StageProgress
        var context: StageContext
        var started: Date
        var cacheHitsAtStart: Int
        var startFraction: Double
    }

    private struct State {
        var stage: Stage?
    }

    private let log: RunEventLog?
    private let sink: @Sendable (RunEvent) -> Void
    private let logger: Logger
    private let stageCount: Int
    private let splitSizes: (train: Int, dev: Int)
    private let state = Mutex(State())
    private let logFailed = Atomic<Bool>(false)

    /// A monitor writing to `log` (when given) and `sink`; `splitSizes` tell which candidates
    /// were scored on a whole split (the ones the best-so-far scores count).
    init(log: RunEventLog?, sink: @escaping @Sendable (RunEvent) -> Void, logger: Logger, stageCount: Int, splitSizes: (train: Int, dev: Int)) {
        self.log = log
        self.sink = sink
        self.logger = logger
        self.stageCount = stageCount
        self.splitSizes = splitSizes
    }

    /// Records and hands on `event`; a failed write is logged once and the run goes on.
    func emit(_ event: RunEvent) {
        if let log {
            do { try log.append(event) } catch {
                if !logFailed.exchange(true, ordering: .relaxed) {
                    logger.error("the event stream \(log.path) could not be written (\(error)); the run goes on without it")
                }
            }
        }
        sink(event)
    }

    /// A stage starts running in `context` (after the runner set it up).
    func stageStarted(_ context: StageContext, plugin: String, budgetCalls: Int?, seedPrompt: String) {
        let used = context.usedCalls
        let progress = StageProgress(stage: context.stageIndex, stageCount: stageCount, plugin: plugin, usedCalls: used, budgetCalls: budgetCalls)
        state.withLock {
            $0.stage = Stage(
                progress: progress, context: context, started: Date(), cacheHitsAtStart: context.backend.usage.cacheHits,
                startFraction: budgetCalls.map { Double(used) / Double(max($0, 1)) } ?? 0)
        }
        emit(.stageStarted(stage: context.stageIndex, plugin: plugin, budgetCalls: budgetCalls, usedCalls: used, seedPrompt: seedPrompt))
        if let snapshot = snapshot(stage: context.stageIndex) { emit(.progress(snapshot)) }
    }

    /// The running stage's evaluate request scored `scores` for `prompts` on `examples` examples of `split`.
    func candidatesScored(stage: Int, split: String, prompts: [String], scores: [Double], examples: Int) {
        let whole = examples == (split == "train" ? splitSizes.train : splitSizes.dev)
        let used = state.withLock { s -> Int? in
            guard var current = s.stage, current.progress.stage == stage else { return nil }
            current.progress.candidates += prompts.count
            if whole, let top = scores.max() {
                if split == "train" { current.progress.bestTrain = max(current.progress.bestTrain ?? top, top) }
                if split == "dev" { current.progress.bestDev = max(current.progress.bestDev ?? top, top) }
            }
            s.stage = current
            return current.context.usedCalls
        }
        guard let used else { return }
        for (prompt, score) in zip(prompts, scores) {
            emit(.candidateScored(stage: stage, split: split, prompt: prompt, score: score, examples: examples, usedCalls: used))
        }
        if let snapshot = snapshot(stage: stage) { emit(.progress(snapshot)) }
    }

    /// The running stage's plugin reported progress: `fraction` (negative: unknown) and a status line.
    func pluginProgress(stage: Int, fraction: Double, message: String?) {
        let known = state.withLock { s -> Bool in
            guard s.stage?.progress.stage == stage else { return false }
            s.stage?.progress.fraction = fraction >= 0 ? min(fraction, 1) : nil
            if let message { s.stage?.progress.message = message }
            return true
        }
        if known, let snapshot = snapshot(stage: stage) { emit(.progress(snapshot)) }
    }

    /// The running stage's progress now, with calls, cache hits, elapsed time and ETA read afresh.
    func snapshot(stage: Int) -> StageProgress? {
        state.withLock { s -> StageProgress? in
            guard var current = s.stage, current.progress.stage == stage else { return nil }
            current.progress.usedCalls = current.context.usedCalls
            current.progress.cacheHits = current.context.backend.usage.cacheHits - current.cacheHitsAtStart
            current.progress.elapsedSeconds = Date().timeIntervalSince(current.started)
            current.progress.etaSeconds = current.progress.overallFraction.flatMap {
                StageProgress.estimatedSecondsLeft(elapsed: current.progress.elapsedSeconds, startFraction: current.startFraction, fraction: $0)
            }
            s.stage = current
            return current.progress
        }
    }

    /// The running stage ended.
    func stageEnded(stage: Int, plugin: String, status: StageStatus, bestPrompt: String?, usedCalls: Int, wallSeconds: Double, error: String? = nil) {
        if status != .failed, let snapshot = snapshot(stage: stage) { emit(.progress(snapshot)) }
        state.withLock { s in if s.stage?.progress.stage == stage { s.stage = nil } }
        emit(.stageEnded(stage: stage, plugin: plugin, status: status, bestPrompt: bestPrompt, usedCalls: usedCalls, wallSeconds: wallSeconds, error: error))
    }
}
