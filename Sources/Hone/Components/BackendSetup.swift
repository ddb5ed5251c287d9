import HoneSDK

/// What a program's backend factory gets (``HoneComponents/register(backend:_:)``): the
/// pipeline's `backend` object and where the run keeps its cache.
public struct BackendSetup: Sendable {
    /// The whole `backend` object of the config, `type` included; the factory reads its own
    /// members (and should reject ones it does not know).
    public var settings: JSONValue
    /// The persistent cache file the run uses (nil: the cache is off), for a backend that
    /// wants to cache in the same SQLite file (``EmbeddingCache``, ``ResponseCache``).
    public var cachePath: String?
    /// The folder the config's relative paths resolve against.
    public var baseDirectory: String

    /// Creates a setup.
    public init(settings: JSONValue, cachePath: String?, baseDirectory: String) {
        self.settings = settings
        self.cachePath = cachePath
        self.baseDirectory = baseDirectory
    }
}
