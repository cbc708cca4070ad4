/// The option value parsers the values target covers, in the order the first input byte selects them
/// (byte modulo the number of cases). Seeds in `Corpus/values` start with these numbers.
enum ValueParser: UInt8, CaseIterable {
    case duration = 0
    case interval
    case rate
    case portRange
    case port
    case portOrZero
    case endpoint
    case endpointOrZeroPort
    case address
    case ip
    case path
    case integer
    case linger
    case escapes
    case output
    case choice
    case wallTime
    case runID
}
