import HoneSDK

/// The stage configuration of the BayesPrompt plugin: every key of ``schema``, with its default
/// (docs/methods/bayesprompt.md explains each and where it departs from the paper).
public struct BayesPromptConfig: Sendable, Equatable {
    /// What the returned artifact is.
    public enum Mode: String, CaseIterable, Sendable {
        /// `embedding_head` on a backend with an embedding space (or when the host does not
        /// describe its backend, i.e. the embedded e5 model); `text` otherwise.
        case auto
        /// An `embedding_head` artifact: domain-shifted class prototypes and a query shift.
        case embedding
        /// A text artifact: domain context + demonstrations + instruction, with `parts`.
        case text
    }

    /// Where the domain particles come from (the method and its controls).
    public enum Particles: String, CaseIterable, Sendable {
        /// The k-shot features transported toward the mixture by SVGD (BayesPrompt).
        case svgd
        /// The mixture's component means, without transport.
        case gmmMeans = "gmm_means"
        /// Random unlabeled sentences of the pool (the key control).
        case randomUnlabeled = "random_unlabeled"
        /// No particles: demonstrations (prototypes) only.
        case none
    }

    /// Artifact kind.
    public var mode = Mode.auto
    /// Particle source.
    public var particles = Particles.svgd
    /// Mixture components; 0 means one per task label (paper).
    public var components = 0
    /// Covariance parameterization of the mixture.
    public var covariance = GaussianMixture.Covariance.diagonal
    /// Ridge added to every variance, relative to the pool's mean per-dimension variance.
    public var covarianceRidge = 0.1
    /// EM iterations at most.
    public var emIterations = 100
    /// EM stops when the mean log-likelihood changes by less than this.
    public var emTolerance = 1e-3
    /// SVGD iterations (paper: 1000; on e5 features the particles stop moving after ~100, see
    /// docs/methods/bayesprompt.md).
    public var svgdIterations = 300
    /// SVGD step size, relative to the pool's per-dimension standard deviation.
    public var svgdStepSize = 0.05
    /// Particles averaged per draw; 0 means one per task label (paper: min(particles, labels)).
    public var sampledParticles = 0
    /// Particle draws tried as candidates (each a different sample).
    public var draws = 8
    /// Unlabeled pool size at most (a seeded sample); 0 means the whole pool.
    public var poolLimit = 0
    /// Embedding mode: scales of the particles' mean used as the query shift.
    public var shiftScales: [Double] = [-1, -0.5, 0, 0.5]
    /// Embedding mode: weights of the k-shot prototypes against the verbalizers.
    public var prototypeWeights: [Double] = [0, 0.5, 0.75, 1]
    /// Embedding mode with SVGD particles: also try class prototypes built from the transported
    /// particles (each keeps its k-shot example's label).
    public var transportedPrototypes = false
    /// Embedding mode with a pool: also try class prototypes re-estimated on the pool by the
    /// label-anchored domain mixture (``DomainPrototypes``), anchored by the k-shot examples and
    /// the labelled particles (every particle source gets the same machinery).
    public var domainPrototypes = true
    /// EM iterations of the label-anchored domain mixture.
    public var domainIterations = 5
    /// Concentration kappa of the label-anchored domain mixture; 0 means 1 / the classifier's
    /// temperature (the E-step is then the head's own posterior).
    public var domainConcentration = 0.0
    /// Weight of each pool point against an anchor in the label-anchored domain mixture.
    public var domainPoolWeight = 1.0
    /// Text mode: demonstrations per label.
    public var demonstrationsPerClass = 1
    /// Text mode: the instruction (default: the seed prompt's text).
    public var instruction: String? = nil
    /// The label left out of micro-F1 when selecting (e.g. "Other"); nil counts every label.
    public var nullLabel: String? = nil
    /// Texts per embed call.
    public var embedBatch = 256

    /// The defaults.
    public init() {}

    /// Reads a stage config; missing keys take their defaults.
    ///
    /// - Throws: ``PluginError`` (config) naming the key, what was wrong and what is accepted.
    public init(json: JSONValue) throws {
        guard let object = json.objectValue ?? (json.isNull ? [:] : nil) else {
            throw PluginError.config("org.hone.bayesprompt: the stage config must be a JSON object, got \(json.typeName)")
        }
        let properties = Self.schema["properties"]?.objectValue ?? [:]
        for key in object.keys where properties[key] == nil {
            throw PluginError.config("org.hone.bayesprompt: unknown config key \"\(key)\"; known keys: \(properties.keys.sorted().joined(separator: ", "))")
        }
        func value(_ key: String) throws -> JSONValue? {
            guard let v = object[key] else { return nil }
            let property = properties[key]!
            let problem: String?
            switch property["type"]?.stringValue {
            case "integer": problem = v.intValue == nil ? "must be an integer" : nil
            case "number": problem = v.doubleValue == nil ? "must be a number" : nil
            case "string": problem = v.stringValue == nil ? "must be a string" : nil
            case "boolean": problem = v.boolValue == nil ? "must be true or false" : nil
            case "array": problem = v.arrayValue?.allSatisfy({ $0.doubleValue != nil }) == true && !(v.arrayValue!.isEmpty) ? nil : "must be a non-empty array of numbers"
            default: problem = nil
            }
            if let problem { throw PluginError.config("org.hone.bayesprompt: \(key) \(problem), got \(v.serialized())") }
            if let n = v.doubleValue {
                if let low = property["minimum"]?.doubleValue, n < low { throw PluginError.config("org.hone.bayesprompt: \(key) = \(n) is below its minimum \(low)") }
                if let high = property["maximum"]?.doubleValue, n > high { throw PluginError.config("org.hone.bayesprompt: \(key) = \(n) is above its maximum \(high)") }
            }
            if let allowed = property["enum"]?.arrayValue, !allowed.contains(v) {
                throw PluginError.config("org.hone.bayesprompt: \(key) \(v.serialized()) is not one of \(allowed.map { $0.serialized() }.joined(separator: ", "))")
            }
            return v
        }
        func int(_ key: String, _ fallback: Int) throws -> Int { try value(key)?.intValue ?? fallback }
        func number(_ key: String, _ fallback: Double) throws -> Double { try value(key)?.doubleValue ?? fallback }
        func numbers(_ key: String, _ fallback: [Double]) throws -> [Double] { try value(key)?.arrayValue?.compactMap(\.doubleValue) ?? fallback }
        func string(_ key: String) throws -> String? { try value(key)?.stringValue }
        mode = try string("mode").flatMap(Mode.init(rawValue:)) ?? mode
        particles = try string("particles").flatMap(Particles.init(rawValue:)) ?? particles
        components = try int("components", components)
        covariance = try string("covariance").flatMap(GaussianMixture.Covariance.init(rawValue:)) ?? covariance
        covarianceRidge = try number("covariance_ridge", covarianceRidge)
        emIterations = try int("em_iterations", emIterations)
        emTolerance = try number("em_tolerance", emTolerance)
        svgdIterations = try int("svgd_iterations", svgdIterations)
        svgdStepSize = try number("svgd_step_size", svgdStepSize)
        sampledParticles = try int("sampled_particles", sampledParticles)
        draws = try int("draws", draws)
        poolLimit = try int("pool_limit", poolLimit)
        shiftScales = try numbers("shift_scales", shiftScales)
        prototypeWeights = try numbers("prototype_weights", prototypeWeights)
        if let bad = prototypeWeights.first(where: { !(0...1).contains($0) }) {
            throw PluginError.config("org.hone.bayesprompt: prototype_weights must lie in [0, 1], got \(bad)")
        }
        transportedPrototypes = try value("transported_prototypes")?.boolValue ?? transportedPrototypes
        domainPrototypes = try value("domain_prototypes")?.boolValue ?? domainPrototypes
        domainIterations = try int("domain_em_iterations", domainIterations)
        domainConcentration = try number("domain_concentration", domainConcentration)
        domainPoolWeight = try number("domain_pool_weight", domainPoolWeight)
        demonstrationsPerClass = try int("demonstrations_per_class", demonstrationsPerClass)
        instruction = try string("instruction")
        nullLabel = try string("null_label")
        embedBatch = try int("embed_batch", embedBatch)
    }

    /// The JSON Schema of the config (the subset the host validates).
    public static let schema: JSONValue = {
        func integer(_ minimum: Int, _ maximum: Int, _ fallback: Int) -> JSONValue {
            ["type": "integer", "minimum": .number(Double(minimum)), "maximum": .number(Double(maximum)), "default": .number(Double(fallback))]
        }
        func number(_ minimum: Double, _ maximum: Double, _ fallback: Double) -> JSONValue {
            ["type": "number", "minimum": .number(minimum), "maximum": .number(maximum), "default": .number(fallback)]
        }
        func choice<C: RawRepresentable & CaseIterable>(_ fallback: C) -> JSONValue where C.RawValue == String {
            ["type": "string", "enum": .array(C.allCases.map { .string($0.rawValue) }), "default": .string(fallback.rawValue)]
        }
        func numbers(_ fallback: [Double]) -> JSONValue {
            ["type": "array", "items": ["type": "number"], "minItems": 1, "default": .array(fallback.map { .number($0) })]
        }
        let d = BayesPromptConfig()
        return [
            "type": "object",
            "properties": [
                "mode": choice(d.mode),
                "particles": choice(d.particles),
                "components": integer(0, 10_000, d.components),
                "covariance": choice(d.covariance),
                "covariance_ridge": number(1e-9, 1e6, d.covarianceRidge),
                "em_iterations": integer(1, 100_000, d.emIterations),
                "em_tolerance": number(0, 1e6, d.emTolerance),
                "svgd_iterations": integer(0, 1_000_000, d.svgdIterations),
                "svgd_step_size": number(0, 1e6, d.svgdStepSize),
                "sampled_particles": integer(0, 1_000_000, d.sampledParticles),
                "draws": integer(1, 10_000, d.draws),
                "pool_limit": integer(0, 100_000_000, d.poolLimit),
                "shift_scales": numbers(d.shiftScales),
                "prototype_weights": numbers(d.prototypeWeights),
                "transported_prototypes": ["type": "boolean", "default": .bool(d.transportedPrototypes)],
                "domain_prototypes": ["type": "boolean", "default": .bool(d.domainPrototypes)],
                "domain_em_iterations": integer(0, 10_000, d.domainIterations),
                "domain_concentration": number(0, 1e9, d.domainConcentration),
                "domain_pool_weight": number(0, 1e9, d.domainPoolWeight),
                "demonstrations_per_class": integer(0, 1000, d.demonstrationsPerClass),
                "instruction": ["type": "string"],
                "null_label": ["type": "string"],
                "embed_batch": integer(1, 100_000, d.embedBatch),
            ],
            "required": [],
            "additionalProperties": false,
        ]
    }()
}
