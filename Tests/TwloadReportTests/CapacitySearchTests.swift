import Testing

@testable import TwloadReport

/// The rates `twload find` probes, given which held.
@Suite struct CapacitySearchTests {
    /// Runs a search against a capacity: a rate holds when it is at most `capacity`. Returns the rates probed.
    func probes(
        capacity: Double, minimum: Double = 10, maximum: Double = 1_000_000, resolution: Double = 0.05
    )
        -> (rates: [Double], search: CapacitySearch)
    {
        var search = CapacitySearch(minimum: minimum, maximum: maximum, resolution: resolution)
        var rates: [Double] = []
        while let r = search.nextRate, rates.count < 100 {
            rates.append(r)
            search.record(rate: r, held: r <= capacity)
        }
        return (rates, search)
    }

    @Test func itDoublesFromTheMinimumUntilAProbeFailsThenBisectsToTheResolution() {
        let (rates, search) = probes(capacity: 200, minimum: 50)
        #expect(Array(rates.prefix(4)) == [50, 100, 200, 400])
        #expect(Array(rates.dropFirst(4)) == [300, 250, 225, 213, 207])
        #expect(search.highestHeld == 200)
        #expect(search.lowestFailed == 207)
        #expect(!search.heldAtMaximum)
    }

    @Test func theResultIsWithinTheResolutionBelowTheCapacityForManyCapacities() {
        for capacity in [13.0, 16.7, 99, 1234, 28_000, 41_338, 777_777] {
            for resolution in [0.01, 0.05, 0.2] {
                let (_, search) = probes(capacity: capacity, resolution: resolution)
                let held = search.highestHeld ?? 0
                #expect(held <= capacity, "capacity \(capacity): held \(held)")
                #expect(
                    held >= capacity / (1 + resolution) * 0.99,
                    "capacity \(capacity), resolution \(resolution): held \(held)")
            }
        }
    }

    @Test func aFailedMinimumEndsTheSearchWithNothingFound() {
        let (rates, search) = probes(capacity: 5, minimum: 10)
        #expect(rates == [10])
        #expect(search.highestHeld == nil)
        #expect(search.nextRate == nil)
    }

    @Test func aMaximumThatHoldsEndsTheSearchThere() {
        let (rates, search) = probes(capacity: 1e9, minimum: 100, maximum: 1000)
        #expect(rates == [100, 200, 400, 800, 1000])
        #expect(search.heldAtMaximum)
        #expect(search.highestHeld == 1000)
    }

    @Test func aRateThatHoldsAboveAFailedOneMovesTheBracketUp() {
        var search = CapacitySearch(minimum: 100, maximum: 10_000, resolution: 0.05)
        search.record(rate: 100, held: true)
        search.record(rate: 200, held: false)
        #expect(search.nextRate == 150)
        search.record(rate: 250, held: true)  // a noisy path: a higher rate held after all
        #expect(search.highestHeld == 250)
        #expect(search.lowestFailed == nil)
        #expect(search.nextRate == 500)
    }

    @Test func ratesAreWholeFromAHundredAndThreeSignificantDigitsBelow() {
        #expect(CapacitySearch.rounded(206.25) == 206)
        #expect(CapacitySearch.rounded(16.6667) == 16.7)
        #expect(CapacitySearch.rounded(1.23456) == 1.23)
        #expect(CapacitySearch.rounded(99.96) == 100)
    }
}
