import CHoneABI

/// Builds the static `hone_plugin_library` table for Swift optimizers and bridges the C
/// vtable to ``HoneOptimizer``. A plugin library calls ``library(_:)`` from its entry function.
///
/// All optimizers of a library share one vtable (ABI 1.1, with the descriptor-aware
/// `get_extension`), which tells them apart by the descriptor the host passes; extensions are
/// answered per optimizer (see ``HoneArtifactRenderer``).
public enum PluginExport {
    /// The library table for the given optimizer types, built once and kept for the life of the
    /// process. Call it from the `@_cdecl("hone_plugin_entry_v1")` function and return its value.
    public static func library(_ types: any HoneOptimizer.Type...) -> UnsafeRawPointer {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        if let table = registry.table { return UnsafeRawPointer(table) }
        let table = makeTable(types)
        registry.table = table
        return UnsafeRawPointer(table)
    }

    /// A new library table for `types`, not cached: every call builds another one, and all of them
    /// stay valid for the life of the process. For loading Swift optimizers in-process (tests,
    /// embedding hosts) next to a library whose entry already returned ``library(_:)``; a plugin's
    /// entry function uses ``library(_:)``, which returns the same table every time.
    public static func makeLibrary(_ types: [any HoneOptimizer.Type]) -> UnsafeRawPointer {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        return UnsafeRawPointer(makeTable(types))
    }

    /// The tables built so far and the optimizer type of each descriptor they hold.
    ///
    /// `@unchecked Sendable`: it holds C tables (raw pointers, which are never `Sendable`) that
    /// live for the whole process and are never mutated once built; every access to `table` and
    /// `types` holds `lock`. A `Mutex` cannot hand the raw pointers out of its critical section
    /// under region-based isolation checking, hence the lock.
    final class Registry: @unchecked Sendable {
        let lock = NSLock()
        var table: UnsafeMutablePointer<hone_plugin_library>?
        var types: [UnsafeRawPointer: any HoneOptimizer.Type] = [:]

        /// The optimizer type a descriptor of this library describes, or `nil` for a foreign descriptor.
        func type(of descriptor: UnsafePointer<hone_plugin_descriptor>) -> (any HoneOptimizer.Type)? {
            lock.lock()
            defer { lock.unlock() }
            return types[UnsafeRawPointer(descriptor)]
        }
    }

    static let registry = Registry()

    /// Type-erased instance handed to the host as `void *`.
    private final class InstanceBox {
        let optimizer: any HoneOptimizer
        let host: HostConnection
        init(optimizer: any HoneOptimizer, host: HostConnection) {
            self.optimizer = optimizer
            self.host = host
        }
    }

    private static func keep(_ s: String) -> UnsafePointer<CChar> { UnsafePointer(strdup(s)!) }

    /// Written once (Swift initializes a static `let` exactly once, thread-safely) and only read
    /// afterwards, by the host through C, so sharing it between threads is safe.
    nonisolated(unsafe) private static let vtable: UnsafeMutablePointer<hone_optimizer_vtable> = {
        let v = UnsafeMutablePointer<hone_optimizer_vtable>.allocate(capacity: 1)
        v.initialize(to: hone_optimizer_vtable(
            struct_size: UInt32(MemoryLayout<hone_optimizer_vtable>.size),
            create: { descriptor, host, config, outInstance, error in
                PluginExport.create(descriptor, host, config, outInstance, error)
            },
            run: { instance, request, result in
                PluginExport.run(instance, request, result)
            },
            destroy: { instance in
                guard let instance else { return }
                Unmanaged<InstanceBox>.fromOpaque(instance).release()
            },
            get_extension: { descriptor, id in
                PluginExport.extensionTable(descriptor, id)
            }))
        return v
    }()

    /// The vtable's `get_extension`: the extensions the optimizer of `descriptor` offers.
    private static func extensionTable(
        _ descriptor: UnsafePointer<hone_plugin_descriptor>?, _ id: UnsafePointer<CChar>?
    ) -> UnsafeRawPointer? {
        guard let descriptor, let id, let type = registry.type(of: descriptor) else { return nil }
        switch String(cString: id) {
        case HONE_EXT_ARTIFACT_RENDERER where type.artifactRenderer != nil:
            return UnsafeRawPointer(rendererTable)
        default:
            return nil
        }
    }

    /// Builds a table for `types`; the caller holds `registry.lock`.
    private static func makeTable(_ types: [any HoneOptimizer.Type]) -> UnsafeMutablePointer<hone_plugin_library> {
        let list = UnsafeMutablePointer<UnsafePointer<hone_plugin_descriptor>?>.allocate(capacity: max(types.count, 1))
        for (i, type) in types.enumerated() {
            let d = type.descriptor
            let capabilities = JSONValue.array(d.capabilities.map { .string($0) }).serialized()
            let descriptor = UnsafeMutablePointer<hone_plugin_descriptor>.allocate(capacity: 1)
            descriptor.initialize(to: hone_plugin_descriptor(
                struct_size: UInt32(MemoryLayout<hone_plugin_descriptor>.size),
                kind: UInt32(HONE_KIND_OPTIMIZER),
                id: keep(d.id), name: keep(d.name), version: keep(d.version),
                description: keep(d.description),
                config_schema_json: keep(d.configSchema.serialized()),
                capabilities_json: keep(capabilities),
                toolchain: keep(SwiftToolchain.identifier),
                vtable: UnsafeRawPointer(vtable),
                get_extension: nil))
            registry.types[UnsafeRawPointer(descriptor)] = type
            list[i] = UnsafePointer(descriptor)
        }
        let table = UnsafeMutablePointer<hone_plugin_library>.allocate(capacity: 1)
        table.initialize(to: hone_plugin_library(
            magic: HONE_PLUGIN_MAGIC,
            struct_size: UInt32(MemoryLayout<hone_plugin_library>.size),
            abi_major: UInt32(HONE_ABI_VERSION_MAJOR),
            abi_minor: UInt32(HONE_ABI_VERSION_MINOR),
            plugin_count: UInt32(types.count),
            plugins: UnsafePointer(list)))
        return table
    }

    static func status(of error: Error, into sink: UnsafeMutablePointer<hone_sink>?) -> hone_status {
        if let error = error as? PluginError {
            sink?.send(error.message)
            return error.status
        }
        sink?.send("\(error)")
        return hone_status(HONE_ERR_INTERNAL)
    }

    private static func create(
        _ descriptor: UnsafePointer<hone_plugin_descriptor>?, _ host: UnsafePointer<hone_host>?,
        _ config: UnsafePointer<CChar>?, _ outInstance: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
        _ errorSink: UnsafeMutablePointer<hone_sink>?
    ) -> hone_status {
        instantiate("create", descriptor, host, outInstance, errorSink) { type, connection in
            let configValue = try JSONValue(parsing: config.map { String(cString: $0) } ?? "{}")
            return InstanceBox(optimizer: try type.init(config: configValue, host: connection), host: connection)
        }
    }

    /// The common part of `create` and a renderer's `open`: finds the optimizer type of
    /// `descriptor`, calls `make` with it and a connection to `host`, and hands the retained
    /// result out through `out`. A NULL argument, a foreign descriptor or a thrown error becomes
    /// a status and a message in `errorSink`.
    static func instantiate(
        _ call: String, _ descriptor: UnsafePointer<hone_plugin_descriptor>?, _ host: UnsafePointer<hone_host>?,
        _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ errorSink: UnsafeMutablePointer<hone_sink>?,
        _ make: (any HoneOptimizer.Type, HostConnection) throws -> AnyObject
    ) -> hone_status {
        guard let descriptor, let host, let out else {
            errorSink?.send("\(call) called with a NULL descriptor, host or out pointer")
            return hone_status(HONE_ERR_INVALID_ARGUMENT)
        }
        guard let type = registry.type(of: descriptor) else {
            errorSink?.send("\(call): the descriptor does not belong to this library")
            return hone_status(HONE_ERR_INVALID_ARGUMENT)
        }
        do {
            out.pointee = Unmanaged.passRetained(try make(type, HostConnection(host))).toOpaque()
            return hone_status(HONE_OK)
        } catch {
            return status(of: error, into: errorSink)
        }
    }

    private static func run(
        _ instance: UnsafeMutableRawPointer?, _ request: UnsafePointer<CChar>?, _ result: UnsafeMutablePointer<hone_sink>?
    ) -> hone_status {
        guard let instance, let request else {
            result?.send("run called with a NULL instance or request")
            return hone_status(HONE_ERR_INVALID_ARGUMENT)
        }
        let box = Unmanaged<InstanceBox>.fromOpaque(instance).takeUnretainedValue()
        do {
            let decoded = try Wire.decode(RunRequest.self, from: String(cString: request))
            let output = try box.optimizer.run(decoded)
            result?.send(try Wire.encode(output))
            return hone_status(HONE_OK)
        } catch {
            return status(of: error, into: result)
        }
    }
}

import Foundation
