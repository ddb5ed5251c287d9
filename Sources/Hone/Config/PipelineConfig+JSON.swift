import HoneSDK

// Configs written back as JSON: what `PipelineConfig(json:baseDirectory:)` reads, so a config
// built or edited in code can be saved, recorded in the run ledger and loaded again. Paths are
// written as they are held, resolved (absolute), so the text loads the same from any folder.

extension PipelineConfig {
    /// The config as a `pipeline.json` object; `PipelineConfig(json:baseDirectory:components:)`
    /// reads it back to an equal config (given the same `baseDirectory` and components).
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "name": .string(name), "seed": .number(Double(seed)), "task": task.json, "backend": backend.json,
            "cache": cache.json, "stages": .array(stages.map(\.json)),
        ]
        if let outputDirectory { o["output_dir"] = .string(outputDirectory) }
        if !pluginPaths.isEmpty { o["plugin_paths"] = .array(pluginPaths.map(JSONValue.string)) }
        return .object(o)
    }

    /// ``json`` as indented text, keys sorted: what a `pipeline.json` file holds.
    public var jsonText: String { json.prettyPrinted() + "\n" }
}

extension TaskConfig {
    /// The `task` object.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "type": .string(type.rawValue), "dataset": dataset.json, "template": .string(template), "prompt": .string(prompt),
            "metric": metricSpec.json, "max_failure_rate": .number(maxFailureRate),
        ]
        switch type {
        case .classification:
            o["labels"] = .array(labels.map { ["name": .string($0.name), "verbalizer": .string($0.verbalizer)] })
        case .generation:
            o["generation"] = generation.json
        }
        return .object(o)
    }
}

extension GenerationSettings {
    /// The `task.generation` object.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "max_tokens": .number(Double(maxTokens)), "temperature": .number(temperature), "stop": .array(stop.map(JSONValue.string)),
        ]
        if let system { o["system"] = .string(system) }
        return .object(o)
    }
}

extension MetricSpec: Equatable {
    /// The `task.metric` value: a name, or an object for a metric with settings.
    public var json: JSONValue {
        switch self {
        case .microF1(let nullLabel?):
            return ["type": "micro_f1", "null_label": .string(nullLabel)]
        case .ffi(let f):
            return ["type": "ffi", "library": .string(f.library), "symbol": .string(f.symbol), "signature": .string(f.signature.text)]
        default:
            return .string(name)
        }
    }

    /// Metrics are equal when their config values are (a C metric: same library, symbol and signature).
    public static func == (lhs: MetricSpec, rhs: MetricSpec) -> Bool { lhs.json == rhs.json }
}

extension DatasetConfig {
    /// The `task.dataset` object.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["format": .string(format.rawValue), "bad_rows": .string(badRows.rawValue)]
        if let file, let split {
            o["file"] = .string(file)
            o["split"] = split.json
            if hasTestFile { o["test"] = .string(test) }
        } else {
            o["train"] = .string(train)
            o["dev"] = .string(dev)
            o["test"] = .string(test)
        }
        if let unlabeled { o["unlabeled"] = .string(unlabeled) }
        func names(_ list: [String]) -> JSONValue { list.count == 1 ? .string(list[0]) : .array(list.map(JSONValue.string)) }
        if format.hasColumns {
            o["input_column"] = names(columns.inputNames)
            o["label_column"] = names(columns.labelNames)
        }
        if format == .tsv || format == .csv { o["quoting"] = .string(quoting.rawValue) }
        if format == .semeval { o["entity_markers"] = ["head": .string(entityMarkers.head), "tail": .string(entityMarkers.tail)] }
        if let testSample { o["test_sample"] = .number(Double(testSample)) }
        return .object(o)
    }
}

extension SplitConfig {
    /// The `task.dataset.split` object.
    public var json: JSONValue {
        var o: [String: JSONValue]
        switch sizes {
        case let .perClass(train, dev): o = ["k_shot": .number(Double(train)), "dev_per_class": .number(Double(dev))]
        case let .fractions(train, dev): o = ["train_fraction": .number(train), "dev_fraction": .number(dev)]
        }
        if let seed { o["seed"] = .number(Double(seed)) }
        return .object(o)
    }
}

extension BackendConfig: Equatable {
    /// The `backend` object: for `e5`, its type, temperature and batch size; for the other
    /// types (built-in or registered), ``settings`` as held, with ``type``.
    public var json: JSONValue {
        guard type == "e5" else {
            var o = settings.objectValue ?? [:]
            o["type"] = .string(type)
            return .object(o)
        }
        return ["type": "e5", "temperature": .number(temperature), "batch_size": .number(Double(batchSize))]
    }

    /// Backends are equal when their config objects are.
    public static func == (lhs: BackendConfig, rhs: BackendConfig) -> Bool { lhs.json == rhs.json }
}

extension CacheConfig {
    /// The `cache` object.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["enabled": .bool(enabled)]
        if let path { o["path"] = .string(path) }
        return .object(o)
    }
}

extension StageConfig {
    /// The stage's object in `stages`.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["plugin": .string(plugin), "config": config, "keep_if_worse": .bool(keepIfWorse)]
        if let budgetCalls { o["budget"] = ["calls": .number(Double(budgetCalls))] }
        return .object(o)
    }
}
