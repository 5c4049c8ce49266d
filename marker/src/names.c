/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#include "names.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "aiprof.h"

static char registered[AIPROF_REGISTERED_MAX][AIPROF_NAME_MAX];
static unsigned int registered_count;
static pthread_mutex_t registered_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t utf8_encode(uint32_t c, char *enc)
{
	if (c >= 0xD800 && c <= 0xDFFF)
		c = 0xFFFD; /* a lone surrogate is not a character */
	if (c < 0x80) {
		enc[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		enc[0] = (char)(0xC0 | (c >> 6));
		enc[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c >= 0x110000)
		c = 0xFFFD;
	if (c < 0x10000) {
		enc[0] = (char)(0xE0 | (c >> 12));
		enc[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		enc[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	enc[0] = (char)(0xF0 | (c >> 18));
	enc[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	enc[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	enc[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

void aiprof_utf8_from_wide(char *out, size_t cap, const wchar_t *in)
{
	size_t n = 0;

	if (cap == 0)
		return;
	for (; in && *in; in++) {
		char enc[4];
		size_t len = utf8_encode((uint32_t)*in, enc);

		if (n + len > cap - 1)
			break;
		memcpy(out + n, enc, len);
		n += len;
	}
	out[n] = '\0';
}

const char *aiprof_register_name(const char *name)
{
	const char *found = NULL;
	unsigned int i;

	if (!name)
		name = "";
	pthread_mutex_lock(&registered_lock);
	for (i = 0; i < registered_count && !found; i++) {
		if (strncmp(registered[i], name, AIPROF_NAME_MAX - 1) == 0)
			found = registered[i];
	}
	if (!found && registered_count < AIPROF_REGISTERED_MAX) {
		char *slot = registered[registered_count++];

		strncpy(slot, name, AIPROF_NAME_MAX - 1);
		slot[AIPROF_NAME_MAX - 1] = '\0';
		found = slot;
	}
	pthread_mutex_unlock(&registered_lock);
	return found;
}

const char *aiprof_registered_name(const void *handle)
{
	uintptr_t h = (uintptr_t)handle, first = (uintptr_t)registered[0];
	uintptr_t end = (uintptr_t)registered[AIPROF_REGISTERED_MAX];

	if (h < first || h >= end || (h - first) % AIPROF_NAME_MAX != 0)
		return "";
	return (const char *)handle;
}
