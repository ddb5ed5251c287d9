import Foundation

/// The C renderer fixture (`Tests/HoneTests/Fixtures/renderer_plugin.c`): an ABI 1.1 library of
/// two optimizers sharing one vtable, `org.hone.test.renderer` (returns a `rendered` artifact and
/// renders it through `"hone.artifact.renderer/1"`) and `org.hone.test.plain` (no renderer).
/// Compiled with the SDK's jansson helpers, as a C plugin author would.
enum RendererFixture {
    /// The fixture's source.
    static let source = TestEnvironment.repository + "/Tests/HoneTests/Fixtures/renderer_plugin.c"
    /// The plugin with a renderer.
    static let rendererID = "org.hone.test.renderer"
    /// The plugin without one.
    static let plainID = "org.hone.test.plain"

    /// Compiles the fixture to `directory/name.so` with the C `defines` (`RENDERER_DROP_ONE`,
    /// `RENDERER_VIA_DESCRIPTOR`) and returns the library's path.
    static func build(in directory: String, name: String = "librenderer_fixture", defines: [String] = []) throws -> String {
        let output = directory + "/\(name).so"
        let sdk = TestEnvironment.repository + "/SDK"
        try TestEnvironment.compileSharedLibrary(
            [source, sdk + "/c/hone_jansson.c"], output: output, defines: defines, extra: ["-I", sdk + "/c", "-ljansson"])
        return output
    }
}
