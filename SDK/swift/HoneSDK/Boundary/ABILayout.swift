import CHoneABI

/// The Swift twin of `hone.h`'s frozen sizes (`HONE_*_SIZE_1_0`) and of `HONE_HAS_FIELD`, which
/// Swift cannot import because they are built from `offsetof`.
///
/// The compatibility rule of the ABI: a reader accepts any `struct_size` at least as large as the
/// struct's frozen 1.0 size (never `sizeof` of the current header, which grows with each minor
/// version), and reads a field appended after 1.0 only when the writer's `struct_size` covers it.
/// The values here are computed exactly as the C macros are (offset of the last 1.0 field plus
/// its size), and a test compares them with the macros.
public enum ABILayout {
    /// `HONE_HOST_SIZE_1_0`: the end of `hone_host.get_extension`.
    public static let hostSize1_0 = end(of: \hone_host.get_extension)
    /// `HONE_OPTIMIZER_VTABLE_SIZE_1_0`: the end of `hone_optimizer_vtable.destroy`.
    public static let optimizerVTableSize1_0 = end(of: \hone_optimizer_vtable.destroy)
    /// `HONE_PLUGIN_DESCRIPTOR_SIZE_1_0`: the end of `hone_plugin_descriptor.get_extension`.
    public static let pluginDescriptorSize1_0 = end(of: \hone_plugin_descriptor.get_extension)
    /// `HONE_PLUGIN_LIBRARY_SIZE_1_0`: the end of `hone_plugin_library.plugins`.
    public static let pluginLibrarySize1_0 = end(of: \hone_plugin_library.plugins)

    /// `HONE_FIELD_END(type, field)`: the offset of the first byte after `field` in its struct.
    public static func end<Struct, Field>(of field: KeyPath<Struct, Field>) -> Int {
        guard let offset = MemoryLayout<Struct>.offset(of: field) else {
            preconditionFailure("\(field) is not a stored field of a C struct")
        }
        return offset + MemoryLayout<Field>.size
    }

    /// `HONE_HAS_FIELD`: whether a struct whose writer set `structSize` has the whole of `field`.
    public static func covers<Struct, Field>(_ structSize: UInt32, _ field: KeyPath<Struct, Field>) -> Bool {
        Int(structSize) >= end(of: field)
    }

    /// Reads `field` of the struct at `pointer` only when its `struct_size` (`structSize`) covers
    /// it, loading just the field's bytes; `nil` when the writer's struct is too short to have it.
    public static func read<Struct, Field>(
        _ field: KeyPath<Struct, Field>, of pointer: UnsafePointer<Struct>, structSize: UInt32
    ) -> Field? {
        guard covers(structSize, field), let offset = MemoryLayout<Struct>.offset(of: field) else { return nil }
        return UnsafeRawPointer(pointer).load(fromByteOffset: offset, as: Field.self)
    }
}
