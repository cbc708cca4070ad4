/// Where each CSV row sits on the plot's time axis, and the interval it covers. A run's rows sit at their
/// `elapsed_s`; a find's probes are laid one after another (`ProbeLayout`), so a row's place and its
/// interval's length no longer follow from the row before it.
struct Timeline: Sendable, Equatable {
    /// Each row's place on the axis: the end of its interval, in seconds from the axis' 0.
    let times: [Double]
    /// Each row's interval length in seconds (counts are divided by it to give a rate per second).
    let lengths: [Double]
    /// Each row's interval start on the axis (a measured marker sits at the start of its row).
    let starts: [Double]
    /// Rows that begin a new segment: no line joins them to the row before (the first row of each probe).
    let segmentStarts: Set<Int>

    /// A single run: rows at their `elapsed_s`, each interval from the row before (the first from 0).
    init(run times: [Double]) {
        self.times = times
        lengths = times.indices.map { $0 == 0 ? times[0] : times[$0] - times[$0 - 1] }
        starts = times.indices.map { $0 == 0 ? 0 : times[$0 - 1] }
        segmentStarts = []
    }

    init(times: [Double], lengths: [Double], starts: [Double], segmentStarts: Set<Int>) {
        self.times = times
        self.lengths = lengths
        self.starts = starts
        self.segmentStarts = segmentStarts
    }
}
