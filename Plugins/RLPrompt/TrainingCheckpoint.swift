import Foundation
import HoneSDK

/// Saving and restoring a run through the host's checkpoint store, so a stopped run continues
/// where it stopped (same network, optimizer moments, random state, best prompt and curve).
///
/// Weights travel as base64 of little-endian IEEE doubles: exact, and about 13 bytes per
/// weight less than JSON numbers. A checkpoint names the vocabulary, network shape and
/// hyperparameters it was made with; one made under other settings is ignored (with a
/// warning) rather than loaded into a network it does not fit.
public enum TrainingCheckpoint {
    /// Format version written into every checkpoint.
    public static let version = 1

    /// A stable description of the settings a checkpoint is only valid for.
    public static func fingerprint(config: RLPromptConfig, vocabulary: Vocabulary, seed: UInt64) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in vocabulary.tokens.joined(separator: "\n").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return "v\(version);seed=\(seed);vocab=\(vocabulary.count):\(String(hash, radix: 16));T=\(config.promptLength);"
            + "d=\(config.embeddingSize);h=\(config.hiddenSize);K=\(config.promptsPerStep);k=\(config.topK);"
            + "lr=\(config.learningRate);tau=\(config.targetUpdateRate);B=\(config.trainBatchSize);sel=\(config.selectOn.rawValue);F=\(config.tokenFeatures.rawValue);Q=\(config.valueOffset.rawValue)"
    }

    /// The checkpoint document of a trainer and its run progress.
    public static func encode(trainer: SoftQTrainer, progress: RunProgress, fingerprint: String) -> JSONValue {
        func candidate(_ c: RunProgress.Candidate) -> JSONValue {
            ["actions": .array(c.actions.map { .number(Double($0)) }), "text": .string(c.text),
             "dev_score": .number(c.devScore), "dev_reward": .number(c.devReward), "step": .number(Double(c.step))]
        }
        var document: [String: JSONValue] = [
            "version": .number(Double(version)),
            "fingerprint": .string(fingerprint),
            "step": .number(Double(trainer.step)),
            "generator": .string(String(trainer.generator.state)),
            "policy": .string(pack(trainer.policy.parameters)),
            "target": .string(pack(trainer.target.parameters)),
            "adam_first_moment": .string(pack(trainer.adam.firstMoment)),
            "adam_second_moment": .string(pack(trainer.adam.secondMoment)),
            "adam_steps": .number(Double(trainer.adam.stepCount)),
            "curve": .array(progress.curve),
            "dev_results": .array(progress.devResults.values.sorted { $0.text < $1.text }.map(candidate)),
        ]
        if let best = progress.best { document["best"] = candidate(best) }
        if let recent = progress.recentBestSample {
            document["recent_best_sample"] = ["actions": .array(recent.actions.map { .number(Double($0)) }), "reward": .number(recent.reward)]
        }
        if let bestTrain = progress.bestTrain {
            document["best_train"] = ["actions": .array(bestTrain.actions.map { .number(Double($0)) }), "reward": .number(bestTrain.reward)]
        }
        return .object(document)
    }

    /// Restores `trainer` and returns the run progress from a checkpoint document.
    ///
    /// - Throws: ``PluginError`` (invalid argument) when the document is not a checkpoint of
    ///   this fingerprint or is damaged; the caller then starts afresh.
    public static func restore(_ document: JSONValue, into trainer: SoftQTrainer, fingerprint: String) throws -> RunProgress {
        guard document["version"]?.intValue == version else {
            throw PluginError.invalidArgument("checkpoint has format version \(document["version"]?.serialized() ?? "none"), this plugin reads \(version)")
        }
        guard document["fingerprint"]?.stringValue == fingerprint else {
            throw PluginError.invalidArgument("checkpoint was made with other settings (\(document["fingerprint"]?.stringValue ?? "?")) than this run (\(fingerprint))")
        }
        let count = trainer.policy.shape.parameterCount
        let policy = try unpack(document["policy"], count: count, name: "policy")
        let target = try unpack(document["target"], count: count, name: "target")
        let m = try unpack(document["adam_first_moment"], count: count, name: "adam_first_moment")
        let v = try unpack(document["adam_second_moment"], count: count, name: "adam_second_moment")
        guard let step = document["step"]?.intValue, let adamSteps = document["adam_steps"]?.intValue,
              let generatorText = document["generator"]?.stringValue, let generatorState = UInt64(generatorText)
        else { throw PluginError.invalidArgument("checkpoint lacks step, adam_steps or generator") }
        trainer.policy.parameters = policy
        trainer.target.parameters = target
        trainer.adam.firstMoment = m
        trainer.adam.secondMoment = v
        trainer.adam.stepCount = adamSteps
        trainer.generator = SeededGenerator(seed: generatorState)
        trainer.step = step

        var progress = RunProgress()
        progress.curve = document["curve"]?.arrayValue ?? []
        if let best = document["best"] { progress.best = try candidate(best) }
        for item in document["dev_results"]?.arrayValue ?? [] {
            let c = try candidate(item)
            progress.devResults[c.text] = c
        }
        if let bestTrain = document["best_train"], let reward = bestTrain["reward"]?.doubleValue {
            progress.bestTrain = (try actions(bestTrain["actions"]), reward)
        }
        if let recent = document["recent_best_sample"], let reward = recent["reward"]?.doubleValue {
            progress.recentBestSample = (try actions(recent["actions"]), reward)
        }
        return progress
    }

    private static func actions(_ value: JSONValue?) throws -> [Int] {
        guard let items = value?.arrayValue else { throw PluginError.invalidArgument("checkpoint candidate lacks actions") }
        return try items.map {
            guard let n = $0.intValue else { throw PluginError.invalidArgument("checkpoint action is not an integer") }
            return n
        }
    }

    private static func candidate(_ value: JSONValue) throws -> RunProgress.Candidate {
        guard let text = value["text"]?.stringValue, let score = value["dev_score"]?.doubleValue,
              let reward = value["dev_reward"]?.doubleValue, let step = value["step"]?.intValue
        else { throw PluginError.invalidArgument("checkpoint candidate lacks text, dev_score, dev_reward or step") }
        return .init(actions: try actions(value["actions"]), text: text, devScore: score, devReward: reward, step: step)
    }

    /// Base64 of the values as little-endian IEEE 754 doubles.
    static func pack(_ values: [Double]) -> String {
        var data = Data(count: values.count * 8)
        data.withUnsafeMutableBytes { raw in
            for (i, value) in values.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: i * 8, as: UInt64.self)
            }
        }
        return data.base64EncodedString()
    }

    /// The inverse of ``pack(_:)``; checks the count.
    static func unpack(_ value: JSONValue?, count: Int, name: String) throws -> [Double] {
        guard let text = value?.stringValue, let data = Data(base64Encoded: text), data.count == count * 8 else {
            throw PluginError.invalidArgument("checkpoint field \(name) is missing or does not hold \(count) doubles")
        }
        return data.withUnsafeBytes { raw in
            (0..<count).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
    }
}
