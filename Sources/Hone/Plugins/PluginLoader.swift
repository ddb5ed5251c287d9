import CHoneABI
import Foundation
import HoneSDK

#if canImport(Glibc)
import Glibc
#endif

/// One optimizer found in a loaded library: its descriptor and the raw pointers to call it.
///
/// `@unchecked Sendable`: it carries raw pointers into the loaded library (the descriptor and
/// the vtable), which are never `Sendable`; they point at the library's static, immutable
/// tables, which stay valid for the life of the process (libraries are never unloaded).
public struct LoadedPlugin: @unchecked Sendable {
    /// The descriptor, copied into Swift values.
    public let info: PluginDescriptorInfo
    /// The ABI minor version the library was compiled against (its table's `abi_minor`).
    public let abiMinor: UInt32
    /// The descriptor inside the library (static storage, valid for the life of the process).
    let descriptor: UnsafePointer<hone_plugin_descriptor>
    /// The optimizer vtable inside the library.
    let vtable: UnsafePointer<hone_optimizer_vtable>

    /// The plugin's table for the extension `id` (e.g. `HONE_EXT_ARTIFACT_RENDERER`), or `nil`
    /// when it does not offer it.
    ///
    /// Asks the vtable's descriptor-aware `get_extension` (ABI 1.1) when the vtable's
    /// `struct_size` covers it and it is set, and the descriptor's 1.0 `get_extension` otherwise.
    public func extensionPointer(_ id: String) -> UnsafeRawPointer? {
        let vtableSize = vtable.pointee.struct_size
        if let lookup = ABILayout.read(\hone_optimizer_vtable.get_extension, of: vtable, structSize: vtableSize) ?? nil {
            return lookup(descriptor, id)
        }
        return descriptor.pointee.get_extension?(id)
    }
}

/// Opens plugin libraries and checks them before anything in them is trusted.
///
/// Libraries are opened with `dlopen(path, RTLD_NOW | RTLD_LOCAL)` and never closed: a Swift
/// library may not be unloaded while the Swift runtime keeps pointers into it.
public enum PluginLoader {
    /// The frozen size of the 1.0 library table (`HONE_PLUGIN_LIBRARY_SIZE_1_0`), the least
    /// `struct_size` accepted: never the current `sizeof`, which grows with each minor version.
    static let minimumLibrarySize = ABILayout.pluginLibrarySize1_0
    /// The frozen size of the 1.0 descriptor (`HONE_PLUGIN_DESCRIPTOR_SIZE_1_0`).
    static let minimumDescriptorSize = ABILayout.pluginDescriptorSize1_0
    /// The frozen size of the 1.0 optimizer vtable (`HONE_OPTIMIZER_VTABLE_SIZE_1_0`).
    static let minimumVTableSize = ABILayout.optimizerVTableSize1_0

    /// "ABI 1.1" for this host, for messages.
    static let hostABI = "ABI \(HONE_ABI_VERSION_MAJOR).\(HONE_ABI_VERSION_MINOR)"

    /// The message refusing a struct whose `struct_size` is below its frozen 1.0 size, naming
    /// both sizes and both versions.
    static func tooSmall(_ structName: String, size: Int, minimum: Int, libraryABI: String) -> String {
        "\(structName).struct_size is \(size) bytes, smaller than the \(minimum) bytes every ABI \(HONE_ABI_VERSION_MAJOR).x \(structName) has (its size in ABI \(HONE_ABI_VERSION_MAJOR).0); the library says it was built for \(libraryABI), this host speaks \(hostABI). Set struct_size to sizeof(\(structName)) and rebuild the plugin against SDK/include/hone.h"
    }

    /// Loads every plugin of the library at `path`, or throws why the library is refused.
    public static func load(file path: String) throws -> [LoadedPlugin] {
        func refuse(_ reason: PluginLoadError.Reason, _ message: String) -> PluginLoadError {
            PluginLoadError(file: path, reason: reason, message: message)
        }
        guard isELFSharedObject(path) else {
            throw refuse(.notASharedLibrary, "not a shared library (no ELF header); build it with `cc -shared -fPIC` or as a SwiftPM `.dynamic` library product")
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
            throw refuse(.notASharedLibrary, "dlopen failed: \(reason); check that it was built for this platform and that its dependencies are installed")
        }
        // Never dlclose: see the type's documentation.
        guard let symbol = dlsym(handle, HONE_PLUGIN_ENTRY_SYMBOL) else {
            if let other = (2...9).first(where: { dlsym(handle, "hone_plugin_entry_v\($0)") != nil }) {
                throw refuse(.abiMismatch, "built for Hone plugin ABI \(other) (exports hone_plugin_entry_v\(other)), but this host speaks ABI \(HONE_ABI_VERSION_MAJOR); rebuild the plugin against this host's SDK/include/hone.h")
            }
            throw refuse(.noEntrySymbol, "no exported symbol \(HONE_PLUGIN_ENTRY_SYMBOL); a Hone plugin must export it (mark it HONE_EXPORT in C, @_cdecl in Swift)")
        }
        let entry = unsafeBitCast(symbol, to: hone_plugin_entry_fn.self)
        guard let table = entry() else {
            throw refuse(.invalidDescriptor, "\(HONE_PLUGIN_ENTRY_SYMBOL) returned NULL; it must return a static hone_plugin_library")
        }
        return try plugins(in: table, file: path)
    }

    /// Checks the library table an entry function returned and every descriptor in it, exactly as
    /// ``load(file:)`` does after `dlsym`; `file` names the library in refusals. Also loads tables
    /// built in-process (e.g. by the Swift SDK's `PluginExport.makeLibrary`).
    public static func plugins(in table: UnsafePointer<hone_plugin_library>, file path: String) throws -> [LoadedPlugin] {
        func refuse(_ reason: PluginLoadError.Reason, _ message: String) -> PluginLoadError {
            PluginLoadError(file: path, reason: reason, message: message)
        }
        let header = UnsafeRawPointer(table)
        let magic = header.load(as: UInt32.self)
        guard magic == HONE_PLUGIN_MAGIC else {
            throw refuse(.badMagic, String(format: "wrong magic number 0x%08X (expected 0x%08X, HONE_PLUGIN_MAGIC); the table is not a hone_plugin_library or the library is corrupt", magic, HONE_PLUGIN_MAGIC))
        }
        let structSize = Int(header.load(fromByteOffset: 4, as: UInt32.self))
        let major = header.load(fromByteOffset: 8, as: UInt32.self)
        let minor = header.load(fromByteOffset: 12, as: UInt32.self)
        guard major == UInt32(HONE_ABI_VERSION_MAJOR) else {
            throw refuse(.abiMismatch, "built for Hone plugin ABI \(major).\(minor), but this host speaks \(hostABI); rebuild the plugin against this host's SDK/include/hone.h")
        }
        let libraryABI = "ABI \(major).\(minor)"
        guard structSize >= minimumLibrarySize else {
            throw refuse(.structTooSmall, tooSmall("hone_plugin_library", size: structSize, minimum: minimumLibrarySize, libraryABI: libraryABI))
        }
        // Only 1.0 fields are read, each one alone: the table is at least that long.
        guard table.pointee.plugin_count > 0, let list = table.pointee.plugins else {
            throw refuse(.invalidDescriptor, "the library declares no plugins")
        }
        var loaded: [LoadedPlugin] = []
        for i in 0..<Int(table.pointee.plugin_count) {
            guard let descriptor = list[i] else {
                throw refuse(.invalidDescriptor, "plugins[\(i)] is NULL")
            }
            loaded.append(try check(descriptor, index: i, file: path, abiMinor: minor))
        }
        return loaded
    }

    private static func check(_ d: UnsafePointer<hone_plugin_descriptor>, index: Int, file: String, abiMinor: UInt32) throws -> LoadedPlugin {
        func refuse(_ reason: PluginLoadError.Reason, _ message: String) -> PluginLoadError {
            PluginLoadError(file: file, reason: reason, message: "plugins[\(index)]: " + message)
        }
        let libraryABI = "ABI \(HONE_ABI_VERSION_MAJOR).\(abiMinor)"
        let size = Int(d.pointee.struct_size)
        guard size >= minimumDescriptorSize else {
            throw refuse(.structTooSmall, tooSmall("hone_plugin_descriptor", size: size, minimum: minimumDescriptorSize, libraryABI: libraryABI))
        }
        func string(_ p: UnsafePointer<CChar>?, _ field: String) throws -> String {
            guard let p else { throw refuse(.invalidDescriptor, "descriptor field \(field) is NULL") }
            return String(cString: p)
        }
        let id = try string(d.pointee.id, "id")
        let toolchain = try string(d.pointee.toolchain, "toolchain")
        if toolchain.hasPrefix("swift-"), toolchain != SwiftToolchain.identifier {
            throw refuse(.toolchainMismatch, "plugin \(id) was built with \(toolchain), this host with \(SwiftToolchain.identifier); Swift has no stable ABI on Linux, so rebuild the plugin with the host's toolchain")
        }
        guard toolchain == "c" || toolchain.hasPrefix("swift-") else {
            throw refuse(.toolchainMismatch, "plugin \(id) names the toolchain \"\(toolchain)\"; a toolchain is \"c\" (no language runtime of its own) or \"swift-MAJOR.MINOR\" (this host: \(SwiftToolchain.identifier)), see the toolchain rule in hone.h")
        }
        guard id.range(of: #"^[a-z0-9]+(\.[a-z0-9-]+)+$"#, options: .regularExpression) != nil else {
            throw refuse(.invalidDescriptor, "id \"\(id)\" is not a reverse-DNS id such as \"org.example.my-optimizer\"")
        }
        guard d.pointee.kind == UInt32(HONE_KIND_OPTIMIZER) else {
            throw refuse(.invalidDescriptor, "plugin \(id) has kind \(d.pointee.kind); this host loads optimizers (kind \(HONE_KIND_OPTIMIZER)) only")
        }
        let schemaText = try string(d.pointee.config_schema_json, "config_schema_json")
        let schema: JSONValue
        do { schema = try JSONValue(parsing: schemaText) } catch {
            throw refuse(.invalidDescriptor, "plugin \(id): config_schema_json is not valid JSON (\(error))")
        }
        let capabilityText = try string(d.pointee.capabilities_json, "capabilities_json")
        var capabilities: [BackendCapability] = []
        do {
            guard let names = try JSONValue(parsing: capabilityText).arrayValue else { throw ConfigError(path: "$", message: "expected an array") }
            for name in names {
                guard let s = name.stringValue, let c = BackendCapability(rawValue: s) else {
                    throw ConfigError(path: "$", message: "unknown capability \(name.serialized()); expected \"generate\", \"score\" or \"embed\"")
                }
                capabilities.append(c)
            }
        } catch {
            throw refuse(.invalidDescriptor, "plugin \(id): capabilities_json must be a JSON array of \"generate\", \"score\", \"embed\" (\(error))")
        }
        guard let rawVTable = d.pointee.vtable else {
            throw refuse(.invalidDescriptor, "plugin \(id) has a NULL vtable")
        }
        let vtable = rawVTable.assumingMemoryBound(to: hone_optimizer_vtable.self)
        let vsize = Int(vtable.pointee.struct_size)
        guard vsize >= minimumVTableSize else {
            throw refuse(.structTooSmall, "plugin \(id): " + tooSmall("hone_optimizer_vtable", size: vsize, minimum: minimumVTableSize, libraryABI: libraryABI))
        }
        guard vtable.pointee.create != nil, vtable.pointee.run != nil, vtable.pointee.destroy != nil else {
            throw refuse(.invalidDescriptor, "plugin \(id): create, run and destroy must all be set")
        }
        let info = PluginDescriptorInfo(
            id: id, kind: d.pointee.kind, name: try string(d.pointee.name, "name"),
            version: try string(d.pointee.version, "version"), summary: try string(d.pointee.description, "description"),
            configSchema: schema, capabilities: capabilities, toolchain: toolchain, file: file)
        return LoadedPlugin(info: info, abiMinor: abiMinor, descriptor: d, vtable: vtable)
    }

    /// Whether the file is a regular file holding a 64-bit shared object for this machine whose
    /// program headers and segments lie inside it (``ELFFileCheck``): only then may `dlopen`
    /// see it. Never blocks and never traps, whatever the path names.
    static func isELFSharedObject(_ path: String) -> Bool {
        ELFFileCheck.problem(path) == nil
    }
}
