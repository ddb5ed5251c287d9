import HoneSDK
import XCTest
@testable import HonePluginGRAMCore

/// k-means and the two-level task pool.
final class ClusteringTests: XCTestCase {
    /// `domains` far-apart domain centres, each with `classes` nearby class centres, `per` points each.
    private func blobs(domains: Int, classes: Int, per: Int, seed: UInt64) -> (points: [[Double]], domain: [Int], cls: [Int]) {
        var g = SeededGenerator(seed: seed)
        let d = 8
        var points: [[Double]] = [], domain: [Int] = [], cls: [Int] = []
        for a in 0..<domains {
            var dc = [Double](repeating: 0, count: d)
            dc[a] = 10
            for c in 0..<classes {
                let cc = dc.indices.map { dc[$0] + (($0 == 4 + c) ? 2.5 : 0) }
                for _ in 0..<per {
                    points.append(cc.map { $0 + 0.2 * g.nextGaussian() })
                    domain.append(a); cls.append(c)
                }
            }
        }
        return (points, domain, cls)
    }

    func testKMeansIsDeterministicUnderASeed() {
        var g = SeededGenerator(seed: 1)
        let points = (0..<200).map { _ in (0..<5).map { _ in g.nextGaussian() } }
        let first = KMeans(k: 6, seed: 42).fit(points)
        let second = KMeans(k: 6, seed: 42).fit(points)
        XCTAssertEqual(first, second)
        let other = KMeans(k: 6, seed: 43).fit(points)
        XCTAssertNotEqual(first.assignments, other.assignments, "another seed should start from other centres on unstructured data")
    }

    func testKMeansRecoversSeparatedClusters() {
        let data = blobs(domains: 3, classes: 1, per: 30, seed: 2)
        let result = KMeans(k: 3, seed: 7).fit(data.points)
        for members in result.members {
            XCTAssertEqual(Set(members.map { data.domain[$0] }).count, 1, "a cluster mixes domains")
        }
    }

    func testTaskPoolFindsDomainsThenPseudoClassesNamedByTheirMedoid() {
        let data = blobs(domains: 3, classes: 4, per: 10, seed: 5)
        let pool = TaskPool.build(embeddings: data.points, domainCount: 3, classesPerDomain: 4, seed: 9)
        XCTAssertEqual(pool.domains.count, 3)
        for domain in pool.domains {
            XCTAssertEqual(domain.classes.count, 4)
            let domainsSeen = Set(domain.classes.flatMap { $0.members + [$0.medoid] }.map { data.domain[$0] })
            XCTAssertEqual(domainsSeen.count, 1, "a domain mixes coarse clusters")
            for pseudo in domain.classes {
                XCTAssertFalse(pseudo.members.contains(pseudo.medoid), "the medoid must not be drawn as an example")
                XCTAssertEqual(Set((pseudo.members + [pseudo.medoid]).map { data.cls[$0] }).count, 1, "a pseudo-class mixes classes")
            }
        }
        let again = TaskPool.build(embeddings: data.points, domainCount: 3, classesPerDomain: 4, seed: 9)
        XCTAssertEqual(pool.domains, again.domains)
    }

    func testEpisodesDrawTheirQuerySetFromAnotherDomain() throws {
        let data = blobs(domains: 3, classes: 4, per: 10, seed: 5)
        let pool = TaskPool.build(embeddings: data.points, domainCount: 3, classesPerDomain: 4, seed: 9)
        var medoids: [Int: [Double]] = [:]
        for m in pool.medoids { medoids[m] = data.points[m] }
        let sampler = try EpisodeSampler(pool: pool, queryEmbeddings: data.points, medoidPassages: medoids, ways: 3, shots: 2, queriesPerClass: 4)
        var g = SeededGenerator(seed: 4)
        let index = Dictionary(data.points.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        for _ in 0..<20 {
            let episode = sampler.sample(&g)
            XCTAssertEqual(episode.support.queries.count, 6)
            XCTAssertEqual(episode.query.queries.count, 12)
            let supportDomains = Set(episode.support.queries.map { data.domain[index[$0]!] })
            let queryDomains = Set(episode.query.queries.map { data.domain[index[$0]!] })
            XCTAssertEqual(supportDomains.count, 1)
            XCTAssertEqual(queryDomains.count, 1)
            XCTAssertNotEqual(supportDomains, queryDomains)
        }
    }

    func testRefusesAPoolWithFewerThanTwoUsableDomains() {
        let data = blobs(domains: 1, classes: 4, per: 10, seed: 5)
        let pool = TaskPool.build(embeddings: data.points, domainCount: 1, classesPerDomain: 4, seed: 9)
        XCTAssertThrowsError(try EpisodeSampler(pool: pool, queryEmbeddings: data.points, medoidPassages: [:], ways: 3, shots: 2, queriesPerClass: 4)) { error in
            XCTAssertTrue("\(error)".contains("meta-training needs 2"), "\(error)")
        }
    }
}
