// `import Hone` alone brings the SDK types the library's API uses: `JSONValue`,
// `PromptArtifact`, `RunRequest`, `RunResult`, `BudgetStatus`, `LabeledExample`, `PluginError`
// and the rest of `HoneSDK`, so a program embedding Hone needs no second import.
@_exported import HoneSDK
