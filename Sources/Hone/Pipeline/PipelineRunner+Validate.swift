import Foundation

extension PipelineRunner {
    /// What `hone validate` checks: everything ``prepare()`` does, then each plugin stage's
    /// config by the plugin itself (`create` and `destroy`, never `run`), so a config the
    /// plugin's own checks refuse is caught here, not after the baseline of a run was scored.
    /// Nothing is scored.
    public func validate() throws -> Prepared {
        let prepared = try prepare()
        for (i, (stage, optimizer)) in zip(config.stages, prepared.optimizers).enumerated() {
            guard let plugin = optimizer as? PluginOptimizer else { continue }
            let context = StageContext(
                stageIndex: i, pluginID: plugin.id, train: prepared.splits.train, dev: prepared.splits.dev,
                evaluator: prepared.evaluator, backend: prepared.backend, budgetCalls: 0, checkpointFile: nil,
                logger: logger, onProgress: { _, _, _ in })
            try plugin.checkConfig(context: context, path: "\(stage.path).config")
        }
        return prepared
    }
}
