#if canImport(Glibc)
import Glibc
#endif

// The C entry points libFuzzer calls. `scripts/fuzz.sh` builds this executable with
// `-sanitize=fuzzer,address`, which links libFuzzer: its driver reads the corpus, mutates inputs
// and calls `LLVMFuzzerTestOneInput` with each.
//
// SwiftPM links every executable target with `--defsym main=<module>_main`, so the program's entry
// is `hone_fuzz_main`, which hands the command line to libFuzzer's driver unchanged.

/// The target picked by `--target=NAME` (libFuzzer ignores `--` flags and passes them on to the
/// processes it starts, so `-fork` and `-merge` children pick the same target).
nonisolated(unsafe) private var selected: FuzzTarget?

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The program's entry (see above).
@_cdecl("hone_fuzz_main")
public func honeFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, honeFuzzTestOneInput)
}

/// Reads `--target=NAME` before the first input; an unknown or missing name ends the program
/// with the list of targets.
@_cdecl("LLVMFuzzerInitialize")
public func honeFuzzInitialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    var names: [String] = []
    if let argc, let argv, let list = argv.pointee {
        for i in 0..<Int(argc.pointee) { if let arg = list[i] { names.append(String(cString: arg)) } }
    }
    let given = names.last { $0.hasPrefix("--target=") }.map { String($0.dropFirst("--target=".count)) }
    guard let given, let target = FuzzTarget(rawValue: given) else {
        let known = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        fputs("hone-fuzz: \(given.map { "unknown target \"\($0)\"" } ?? "no --target=NAME given"); targets: \(known)\n", stderr)
        exit(2)
    }
    selected = target
    FuzzTarget.prepare()
    return 0
}

/// Feeds one input to the selected target. A target never throws: an input a parser refuses is
/// the expected outcome; only a crash, a sanitizer report or a broken property is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func honeFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    selected?.run(bytes)
    return 0
}
