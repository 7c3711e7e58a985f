#ifndef UNROLL_CZLIB_SHIM_H
#define UNROLL_CZLIB_SHIM_H

/* zlib, for the tests only: they decode the PNGs rsvg-convert and Chromium draw of a figure. */
#include <zlib.h>

#endif
