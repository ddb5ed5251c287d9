import Foundation
import HoneSDK

/// The candidate tokens the policy chooses from, and where they come from.
///
/// A prompt is its tokens joined by single spaces. Sources (config key `vocab_source`):
/// - `default`: the English word list shipped with the plugin (``DefaultWordList``), most
///   frequent words first;
/// - `train_text`: the most frequent lower-case words of the task's training inputs;
/// - `file`: a UTF-8 file with one token per line (blank lines and repeats are skipped).
///
/// Every source keeps its first `vocab_size` distinct tokens.
public struct Vocabulary: Sendable, Equatable {
    /// Where the candidate tokens come from.
    public enum Source: String, CaseIterable, Sendable {
        /// The English word list shipped with the plugin.
        case defaultList = "default"
        /// The most frequent words of the training inputs.
        case trainText = "train_text"
        /// A file with one token per line.
        case file
    }

    /// The tokens, in their source's order.
    public let tokens: [String]

    /// Creates a vocabulary from tokens, dropping blanks and repeats and keeping at most `limit`.
    public init(tokens: [String], limit: Int = .max) {
        var seen = Set<String>()
        var kept: [String] = []
        for raw in tokens {
            let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if token.isEmpty || seen.contains(token) { continue }
            seen.insert(token)
            kept.append(token)
            if kept.count == limit { break }
        }
        self.tokens = kept
    }

    /// Number of tokens.
    public var count: Int { tokens.count }

    /// The prompt text of a token sequence: the tokens joined by single spaces.
    public func text(of actions: [Int]) -> String {
        actions.map { tokens[$0] }.joined(separator: " ")
    }

    /// Builds the vocabulary a config asks for.
    ///
    /// - Throws: ``PluginError`` (config) when the file cannot be read or the source yields fewer than two tokens.
    public static func load(source: Source, file: String?, limit: Int, trainingTexts: [String]) throws -> Vocabulary {
        let vocabulary: Vocabulary
        switch source {
        case .defaultList:
            vocabulary = Vocabulary(tokens: DefaultWordList.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init), limit: limit)
        case .trainText:
            vocabulary = Vocabulary(tokens: frequentWords(in: trainingTexts), limit: limit)
        case .file:
            guard let file, !file.isEmpty else {
                throw PluginError.config("vocab_source is \"file\" but vocab_file is missing: set \"vocab_file\" to a UTF-8 file with one token per line")
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw PluginError.config("cannot read vocab_file \"\(file)\" (resolved against \(FileManager.default.currentDirectoryPath)): check that the file exists and is readable")
            }
            let text = String(decoding: data, as: UTF8.self)
            vocabulary = Vocabulary(tokens: text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(String.init), limit: limit)
        }
        if vocabulary.count < 2 {
            throw PluginError.config("vocab_source \"\(source.rawValue)\" gave \(vocabulary.count) token(s); RLPrompt needs at least 2 candidate tokens: use another source or a longer file")
        }
        return vocabulary
    }

    /// Lower-case alphabetic words of `texts`, most frequent first (ties alphabetical).
    static func frequentWords(in texts: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for text in texts {
            var word = ""
            for scalar in text.lowercased().unicodeScalars {
                if CharacterSet.letters.contains(scalar) {
                    word.unicodeScalars.append(scalar)
                } else if !word.isEmpty {
                    counts[word, default: 0] += 1
                    word = ""
                }
            }
            if !word.isEmpty { counts[word, default: 0] += 1 }
        }
        return counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map(\.key)
    }
}
