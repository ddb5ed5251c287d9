import ArgumentParser
import Hone

/// `hone cache info|clear`: the persistent cache of embeddings and backend answers.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Show or clear the persistent cache (embeddings and backend answers).",
        subcommands: [Info.self, Clear.self])

    struct Location: ParsableArguments {
        @Option(help: "The cache file (default: $HONE_CACHE_DIR/cache.sqlite, else ~/.cache/hone/cache.sqlite).")
        var path: String?

        var resolved: String { path ?? EmbeddingCache.defaultPath() }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count what the cache holds.")
        @OptionGroup var location: Location

        func run() throws {
            let path = location.resolved
            print("\(path): \(try EmbeddingCache(path: path).count()) embeddings, \(try ResponseCache(path: path).count()) backend answers")
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete every cached embedding and backend answer.")
        @OptionGroup var location: Location

        func run() throws {
            let path = location.resolved
            let embeddings = try EmbeddingCache(path: path)
            let answers = try ResponseCache(path: path)
            let counts = (try embeddings.count(), try answers.count())
            try embeddings.clear()
            try answers.clear()
            print("cleared \(path): \(counts.0) embeddings, \(counts.1) backend answers")
        }
    }
}
