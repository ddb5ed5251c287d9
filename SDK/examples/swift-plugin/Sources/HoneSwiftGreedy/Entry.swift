import HoneSDK

/// The one symbol the host looks up: returns the library table listing this library's optimizers.
@_cdecl("hone_plugin_entry_v1")
public func honePluginEntry() -> UnsafeRawPointer {
    PluginExport.library(GreedyOptimizer.self)
}
