// The system zlib (zlib1g-dev), for the interval logs' compressed histograms. inflateInit and deflateInit
// are macros, which Swift does not import: they are re-exported as functions here.
#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

#include <zlib.h>

/// inflateInit(strm): a zlib (RFC 1950) stream, header and Adler-32 checked.
static inline int czlib_inflate_init(z_stream *strm) { return inflateInit(strm); }

#endif
