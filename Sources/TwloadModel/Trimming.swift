extension String {
    /// The text without leading and trailing white space (option values, /proc lines, profile scalars).
    public var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
