import Foundation
import HoneSDK

/// A prompt artifact read from a file: a bare artifact (`best_prompt.json` of a run directory,
/// `hone export --format artifact`), or an export (`hone export --format json`), which also
/// carries the config of the run that made it.
public struct ArtifactFile: Sendable {
    /// The artifact.
    public var artifact: PromptArtifact
    /// The recorded config of the run that made it, when the file is an export.
    public var config: JSONValue?

    /// Reads `path`; throws a ``ConfigError`` naming the file and what was expected.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, path: "$", message: "cannot read the artifact file; check the path")
        }
        let json: JSONValue
        do { json = try JSONValue(parsingUTF8: Array(data)) } catch {
            throw ConfigError(file: path, path: "$", message: "not JSON (\(error)); expected a prompt artifact such as a run's best_prompt.json or its prompt exported as json")
        }
        let object = json["artifact"] ?? json
        do {
            artifact = try Wire.decode(PromptArtifact.self, from: object.serialized()).stored
        } catch let DecodingError.dataCorrupted(context) {
            throw ConfigError(file: path, path: json["artifact"] == nil ? "$" : "$.artifact", message: context.debugDescription)
        } catch {
            throw ConfigError(file: path, path: json["artifact"] == nil ? "$" : "$.artifact", message: "not a prompt artifact: expected {\"kind\": ..., \"text\": ...} (see docs/plugins.md)")
        }
        config = json["provenance"]?["config"].flatMap { $0.objectValue == nil ? nil : $0 }
    }
}
