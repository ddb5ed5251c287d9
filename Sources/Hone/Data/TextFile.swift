import Foundation

/// The bytes of a dataset file, read once, with a UTF-8 byte-order mark removed.
struct TextFile {
    /// The path, as named in the config (used in every error about the file).
    let path: String
    /// The contents without a leading byte-order mark.
    let bytes: [UInt8]

    /// Reads `path`; a missing or unreadable file, and a file with no content at all, are errors.
    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw DataError(file: path, message: "this is a folder, not a file; name the data file in the config")
            }
            throw DataError(file: path, message: "cannot read the file; check the path in the config (relative paths are resolved against the config file's folder)")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard bytes.contains(where: { !TextFile.isASCIIWhitespace($0) }) else {
            throw DataError(file: path, message: "the file is empty; expected examples")
        }
        self.path = path
        self.bytes = bytes
    }

    /// Calls `body` with each line's 1-based number and its bytes, without the `\n` or `\r\n`
    /// that ends it. Lines that are empty or only whitespace are passed too; callers decide.
    func forEachLine(_ body: (Int, ArraySlice<UInt8>) throws -> Void) rethrows {
        var start = 0
        var number = 0
        let count = bytes.count
        while start < count {
            number += 1
            var end = start
            while end < count && bytes[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            try body(number, bytes[start..<lineEnd])
            start = end + 1
        }
    }

    /// Whether `byte` is an ASCII space, tab, CR or LF.
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Whether a line holds nothing but ASCII whitespace.
    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        !line.contains(where: { !isASCIIWhitespace($0) })
    }

    /// The line as a string, or nil if it is not valid UTF-8.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }
}

extension TextFile {
    /// The whole file as a string, or a ``DataError`` naming the first line that is not valid UTF-8.
    func decodedText() throws -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var bad = 1
        forEachLine { number, line in
            if bad == 1, String(validating: line, as: UTF8.self) == nil { bad = number }
        }
        throw DataError(file: path, line: bad, message: "the file is not valid UTF-8 (first bad byte on this line); re-encode it as UTF-8")
    }
}
