/* Shared inside engine/isf: the header reader and positions in the file. */
#ifndef VT_ISF_INTERNAL_H
#define VT_ISF_INTERNAL_H

#include "isf/vt_isf.h"

/* 1-based line and column (in characters) of byte `off` of `text`. */
void vt_isf_position(const char *text, size_t off, int *line, int *col);
/* Reads the JSON header text[hdr_start, hdr_end) into isf, errors into diags. */
void vt_isf_header_parse(const char *text, size_t len, size_t hdr_start, size_t hdr_end,
                         const char *path, vt_isf *isf, vt_diags *diags);

#endif
