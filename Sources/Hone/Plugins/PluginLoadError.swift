import Foundation
/// A plugin library was refused. The host never crashes on a bad plugin: it reports this and
/// goes on with the others.
public struct PluginLoadError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Why a library was refused.
    public enum Reason: String, Sendable, Equatable {
        case notASharedLibrary, noEntrySymbol, badMagic, abiMismatch, structTooSmall
        case toolchainMismatch, duplicateID, invalidDescriptor
    }

    /// The library file.
    public var file: String
    /// The kind of refusal, for programs.
    public var reason: Reason
    /// What was wrong and what to do, for people.
    public var message: String

    /// Creates a load error.
    public init(file: String, reason: Reason, message: String) {
        self.file = file
        self.reason = reason
        self.message = message
    }

    public var description: String { "plugin \(file) refused: \(message)" }
}

extension PluginLoadError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
