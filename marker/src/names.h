/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Names for the NVTX routes: wide-string conversion and registered strings, without malloc. */
#ifndef AIPROF_NAMES_H
#define AIPROF_NAMES_H

#include <stddef.h>
#include <wchar.h>

/* Registered strings kept at once; later registrations of new strings get NULL (unnamed). */
#define AIPROF_REGISTERED_MAX 1024

/*
 * Writes `in` (UTF-32, as wchar_t is on Linux) to `out` as UTF-8, cut at a
 * character boundary to fit `cap` bytes with the NUL. NULL reads as "".
 */
void aiprof_utf8_from_wide(char *out, size_t cap, const wchar_t *in);

/*
 * A stable copy of `name` (first AIPROF_NAME_MAX - 1 bytes) in a fixed table,
 * the same copy for equal names; NULL when the table is full. Thread-safe.
 */
const char *aiprof_register_name(const char *name);

/* The name behind a handle from aiprof_register_name, or "" for anything else. */
const char *aiprof_registered_name(const void *handle);

#endif /* AIPROF_NAMES_H */
