import Foundation
import HoneSDK

/// Reads the unlabeled texts of GRAM's meta-training pool from files (see
/// ``GRAMConfig/poolFiles`` for the formats).
public enum PoolSource {
    /// A pool file that cannot be read.
    public struct UnreadableFile: Error, CustomStringConvertible {
        /// Which file and why.
        public var description: String
    }

    /// The texts of one file, in file order, empty lines dropped.
    public static func texts(inFile path: String) throws -> [String] {
        guard let content = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw UnreadableFile(description: "org.hone.gram: cannot read pool file \(path) (config pool_files; relative paths are read from \(FileManager.default.currentDirectoryPath))")
        }
        let lines = content.replacingOccurrences(of: "\r", with: "").split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        if path.hasSuffix(".tsv") {
            return lines.dropFirst().compactMap { $0.split(separator: "\t", maxSplits: 1).first.map(String.init) }.filter { !$0.isEmpty }
        }
        if path.hasSuffix(".json"), let document = try? JSONValue(parsing: content), let examples = document["examples"]?.arrayValue {
            return examples.compactMap { $0["input"]?.stringValue }
        }
        return lines.map { line in
            guard line.hasPrefix("{"), let object = try? JSONValue(parsing: line) else { return line }
            if let tokens = object["token"]?.arrayValue { return tokens.compactMap(\.stringValue).joined(separator: " ") }
            return object["text"]?.stringValue ?? object["sentence"]?.stringValue ?? object["input"]?.stringValue ?? line
        }
    }

    /// The pool: the files' texts and `extra` (the task's unlabeled texts, when asked), without
    /// duplicates and without any text in `excluded` (the task's train and dev inputs), then a
    /// seeded sample of at most `limit` texts.
    public static func pool(files: [String], extra: [String], excluded: Set<String>, limit: Int, seed: UInt64) throws -> [String] {
        var seen = excluded
        var texts: [String] = []
        for text in try files.flatMap(texts(inFile:)) + extra {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty && seen.insert(trimmed).inserted { texts.append(trimmed) }
        }
        guard texts.count > limit else { return texts }
        var generator = SeededGenerator(seed: seed ^ 0x9001)
        return EpisodeSampler.draw(limit, from: texts.count, &generator).sorted().map { texts[$0] }
    }
}
