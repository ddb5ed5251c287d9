import Foundation
import HoneSDK

/// Frozen per-token features the policy's logits are read through (config `token_features`).
///
/// The paper's policy is a trainable MLP on a frozen distilGPT-2 whose output embeddings turn
/// the MLP's output into logits, so what is learned about one token carries over to similar
/// tokens. Hone's analogue for the default word list is ``DefaultTokenFeatures``: the
/// embedded model's own (e5) embeddings of each word, reduced to 32 principal components and
/// shipped with the plugin, so they cost no backend calls and know nothing of any task.
public enum TokenFeatures {
    /// Which features the policy uses.
    public enum Source: String, CaseIterable, Sendable {
        /// `shipped` for the default word list, `none` for other vocabularies.
        case auto
        /// No features: one free output row per token (trained).
        case none
        /// The shipped e5 features of the default word list (``DefaultTokenFeatures``).
        case shipped
    }

    /// The features `source` gives `vocabulary`, or nil for none.
    public static func resolve(_ source: Source, for vocabulary: Vocabulary, vocabularySource: Vocabulary.Source) throws -> (values: [Double], dimension: Int)? {
        switch source {
        case .none: return nil
        case .shipped: return try shipped(for: vocabulary)
        case .auto: return vocabularySource == .defaultList ? try shipped(for: vocabulary) : nil
        }
    }

    /// The shipped features of `vocabulary`, `count x dimension` row-major.
    ///
    /// - Throws: ``PluginError`` (config) when the vocabulary is not a prefix of the default
    ///   word list (features exist only for those words), or when the shipped table does not
    ///   belong to the shipped word list.
    public static func shipped(for vocabulary: Vocabulary) throws -> (values: [Double], dimension: Int) {
        let words = DefaultWordList.text.split(whereSeparator: \.isWhitespace).map(String.init)
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in words.joined(separator: "\n").utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        guard hash == DefaultTokenFeatures.wordListHash, words.count == DefaultTokenFeatures.count else {
            throw PluginError.config("org.hone.rlprompt: the shipped token features were made for another word list; run scripts/make_rlprompt_token_features.py")
        }
        guard vocabulary.count <= words.count, Array(words.prefix(vocabulary.count)) == vocabulary.tokens else {
            throw PluginError.config("org.hone.rlprompt: token_features \"shipped\" exists only for the default word list (vocab_source \"default\"); use token_features \"none\" with this vocabulary")
        }
        guard let data = Data(base64Encoded: DefaultTokenFeatures.base64, options: .ignoreUnknownCharacters),
              data.count == DefaultTokenFeatures.count * DefaultTokenFeatures.dimension else {
            throw PluginError.config("org.hone.rlprompt: the shipped token feature table is damaged; run scripts/make_rlprompt_token_features.py")
        }
        let used = vocabulary.count * DefaultTokenFeatures.dimension
        let values = data.prefix(used).map { Double(Int8(bitPattern: $0)) * DefaultTokenFeatures.scale }
        return (values, DefaultTokenFeatures.dimension)
    }
}
