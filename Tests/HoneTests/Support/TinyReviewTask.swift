import Hone
import HoneSDK

/// A tiny two-class review task for in-process plugin tests on the hash-scoring backend:
/// 8 train, 4 dev and 5 test examples, labels `neg` ("bad") and `pos` ("good").
enum TinyReviewTask {
    static let labels = [TaskLabel(name: "neg", verbalizer: "bad"), TaskLabel(name: "pos", verbalizer: "good")]
    static let train: [LabeledExample] = [
        ("the film is a joy", "pos"), ("the plot is a mess", "neg"), ("a joy to watch", "pos"),
        ("the acting is wooden", "neg"), ("sharp and funny", "pos"), ("the script is lazy", "neg"),
        ("a film full of heart", "pos"), ("the pacing is a slog", "neg"),
    ].map { LabeledExample(input: $0.0, label: $0.1) }
    static let dev: [LabeledExample] = [
        ("warm and clever", "pos"), ("a dull film", "neg"), ("the cast is great", "pos"), ("the ending is a mess", "neg"),
    ].map { LabeledExample(input: $0.0, label: $0.1) }
    static let test: [LabeledExample] = [
        ("a delight", "pos"), ("a bore", "neg"), ("funny and warm", "pos"), ("lazy and dull", "neg"), ("full of joy", "pos"),
    ].map { LabeledExample(input: $0.0, label: $0.1) }
}
