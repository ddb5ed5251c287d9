import HoneSDK
import HonePluginDirectionalStimulus

/// The library's entry point, found by the host with `dlsym("hone_plugin_entry_v1")`.
@_cdecl("hone_plugin_entry_v1")
public func honePluginEntry() -> UnsafeRawPointer {
    PluginExport.library(DSPOptimizer.self)
}
