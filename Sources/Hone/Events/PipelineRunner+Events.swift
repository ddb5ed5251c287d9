import Foundation

extension PipelineRunner {
    /// Starts this session's events: opens the run directory's `events.jsonl` (afresh for a new
    /// run, appended to when resuming), makes the monitor the stages report to and announces
    /// the run. Without an output directory events go to ``onEvent`` only.
    func startEvents(_ prepared: Prepared, fresh: Bool, session: Int) -> RunMonitor {
        var log: RunEventLog?
        if let outputDirectory {
            do { log = try RunEventLog(directory: outputDirectory, fresh: fresh) } catch {
                logger.error("the event stream could not be opened (\(error)); the run goes on without it")
            }
        }
        let forward = onEvent, broadcast = self.broadcast
        let monitor = RunMonitor(
            log: log, sink: { event in
                forward(event)
                broadcast.yield(event)
            }, logger: logger, stageCount: prepared.optimizers.count,
            splitSizes: (prepared.splits.train.count, prepared.splits.dev.count))
        self.monitor = monitor
        monitor.emit(.runStarted(
            name: config.name, session: session, backend: prepared.backend.name,
            stages: prepared.optimizers.enumerated().map { i, optimizer in
                RunEvent.StagePlan(plugin: optimizer.id, budgetCalls: i < config.stages.count ? config.stages[i].budgetCalls : nil)
            }))
        return monitor
    }

    /// What a stage's progress reports go to: ``onProgress`` and the session's monitor.
    var progressHandler: @Sendable (Int, Double, String?) -> Void {
        let forward = onProgress
        let monitor = self.monitor
        return { stage, fraction, message in
            forward(stage, fraction, message)
            monitor?.pluginProgress(stage: stage, fraction: fraction, message: message)
        }
    }
}
