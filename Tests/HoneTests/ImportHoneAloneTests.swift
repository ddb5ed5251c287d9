import Hone
import XCTest

/// `import Hone` alone (no `import HoneSDK` in this file) brings the SDK types the library's API
/// uses: this file compiles only because Hone re-exports HoneSDK.
final class ImportHoneAloneTests: XCTestCase {
    func testImportHoneAloneBringsTheSDKTypesItsAPIUses() throws {
        let data: JSONValue = ["hint": "short"]
        let artifact = PromptArtifact(text: "Classify the review.", method: "org.example.own", data: data)
        let scored: BudgetStatus = BudgetStatus(limitCalls: 10, usedCalls: 3)
        XCTAssertEqual(artifact.text, "Classify the review.")
        XCTAssertEqual(artifact.data?["hint"]?.stringValue, "short")
        XCTAssertEqual(scored.usedCalls, 3)
        XCTAssertEqual(try JSONValue(parsing: data.serialized()), data)
    }
}
