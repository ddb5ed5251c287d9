import Hone
import HoneSDK

/// `PipelineConfig(json:baseDirectory:)`, what `PipelineConfig.load(file:)` runs on a file's
/// bytes. Properties: no crash on any JSON; a text that loads also loads with a UTF-8 byte-order
/// mark in front (issue 15, item 7), to the same pipeline name and stage count.
enum ConfigTarget {
    static func run(_ bytes: [UInt8]) {
        let plain = load(bytes)
        if !bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let marked = load([0xEF, 0xBB, 0xBF] + bytes)
            require(plain?.name == marked?.name && plain?.stages.count == marked?.stages.count,
                    "a config loads differently with a byte-order mark")
        }
    }

    private static func load(_ bytes: [UInt8]) -> PipelineConfig? {
        guard let json = try? JSONValue(parsingUTF8: bytes) else { return nil }
        let config = try? PipelineConfig(json: json, baseDirectory: "/nonexistent/hone-fuzz")
        _ = config.map { String(describing: $0) }
        return config
    }
}
