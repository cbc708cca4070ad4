import TwloadModel

/// Why an input cannot be plotted: a `DataFileError`, which names the file and line.
public typealias PlotError = DataFileError
