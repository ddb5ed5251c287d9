/*
 * hone_jansson.h — small helpers for writing Hone plugins in C with libjansson.
 *
 * Compile hone_jansson.c into your plugin (it is a few hundred lines; there
 * is no separate library to install) and link with -ljansson. Every helper
 * is declared with hidden visibility, so none of them is exported from your
 * plugin however you build it: the only exported symbol stays
 * `hone_plugin_entry_v1`.
 *
 * What the helpers cover
 * ----------------------
 * - `hone_buffer`: a growable byte buffer that implements `hone_sink`, for
 *   receiving what the host writes (evaluation results, error messages,
 *   checkpoints).
 * - `hone_sink_*`: writing text, formatted messages and json_t documents into
 *   a sink the host gave you (the `result` of `run`, the `error` of `create`).
 * - `hone_json_parse`, `hone_unpack`: reading the borrowed JSON strings the
 *   host passes in, with messages that say what was wrong and where.
 * - `hone_evaluate`, `hone_backend_call`: calling the host with a json_t
 *   request and getting a json_t response, or a status and the host's message.
 * - `hone_config_*`: typed getters for the stage config with defaults, that
 *   report a value of the wrong type instead of silently using the default.
 *
 * Jansson's reference rules (what every C plugin must get right)
 * --------------------------------------------------------------
 * Every json_t is reference counted. A function either hands you a NEW
 * reference (you own it and must call json_decref exactly once) or a
 * BORROWED one (you must not decref it; it stays valid only while its owner
 * does).
 *
 *   NEW (you decref):      json_object(), json_array(), json_string(),
 *                          json_integer(), json_real(), json_true()/false()/null(),
 *                          json_loads(), json_pack(), json_deep_copy(), and
 *                          from this header: hone_json_parse() and the
 *                          *response of hone_evaluate()/hone_backend_call().
 *   BORROWED (no decref):  json_object_get(), json_array_get(),
 *                          json_object_iter_value(), json_string_value(),
 *                          what json_unpack()/hone_unpack() extract with
 *                          "o" and "s" ("O" gives a NEW reference instead),
 *                          and from this header: the arrays and strings that
 *                          hone_config_array()/hone_config_string() return.
 *                          Call json_incref() to keep one longer than its owner.
 *   STEALING setters:      json_object_set_new(), json_array_append_new(),
 *                          json_array_insert_new() and json_pack()'s "o" take
 *                          over the reference you pass, even when they fail:
 *                          use them with a freshly created value, e.g.
 *                          json_object_set_new(obj, "k", json_integer(3)).
 *   COPYING setters:       json_object_set(), json_array_append() and
 *                          json_pack()'s "O" add a reference; you still own yours.
 *   Strings:               json_string_value() returns a char * owned by the
 *                          json_t; it dies with it. strdup what you keep.
 *
 * No helper in this header steals a reference it is given: requests and
 * results passed to hone_evaluate(), hone_backend_call() and
 * hone_sink_write_json() remain yours to decref.
 *
 * Threads: jansson values are not locked; use one value from one thread at a
 * time (reference counting itself is atomic in jansson >= 2.11). The helpers
 * keep no global state.
 */
#ifndef HONE_JANSSON_H
#define HONE_JANSSON_H

#include <stdarg.h>
#include <stddef.h>

#include <jansson.h>

#include "hone.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Declares a helper that is never exported from the plugin that compiles it in. */
#if defined(__GNUC__) || defined(__clang__)
#  define HONE_JANSSON_API __attribute__((visibility("hidden")))
#  define HONE_JANSSON_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#  define HONE_JANSSON_API
#  define HONE_JANSSON_PRINTF(fmt, args)
#endif

/**
 * True when the host table `host` has the function `field`: `host` is not
 * NULL, HONE_HAS_FIELD (hone.h) says its `struct_size` covers the field, and
 * the pointer is set. Check it before calling a field appended after ABI 1.0.
 */
#define HONE_HOST_HAS(host, field) \
    ((host) != NULL && HONE_HAS_FIELD(host, hone_host, field) && (host)->field != NULL)

/* ------------------------------------------------------------------------- */
/* A growable buffer that is a hone_sink                                     */
/* ------------------------------------------------------------------------- */

/**
 * Bytes received through a sink, always NUL-terminated.
 *
 * Zero-initialise it (or call hone_buffer_init), lend `hone_buffer_sink(&b)`
 * to a host call, read `hone_buffer_cstr(&b)`, then hone_buffer_free(&b).
 * If memory runs out, `failed` is set and later writes are dropped.
 */
typedef struct hone_buffer {
    /** The bytes, NUL-terminated; NULL until the first write. Owned by the buffer. */
    char *data;
    /** Number of bytes written, not counting the terminating NUL. */
    size_t length;
    /** Allocated size of `data`. */
    size_t capacity;
    /** Non-zero once an allocation failed; the content is then truncated. */
    int failed;
} hone_buffer;

/** Makes `buffer` empty without freeing anything (use on fresh storage only). */
HONE_JANSSON_API void hone_buffer_init(hone_buffer *buffer);

/** Frees the bytes and leaves `buffer` empty and reusable. */
HONE_JANSSON_API void hone_buffer_free(hone_buffer *buffer);

/** Forgets the content but keeps the allocation, for reuse across calls. */
HONE_JANSSON_API void hone_buffer_clear(hone_buffer *buffer);

/**
 * The content as a NUL-terminated string: "" when nothing was written.
 * Borrowed from the buffer: valid until its next write, clear or free.
 */
HONE_JANSSON_API const char *hone_buffer_cstr(const hone_buffer *buffer);

/**
 * A sink whose writes append to `buffer`. The sink holds a pointer to
 * `buffer`, so the buffer must outlive every call the sink is lent to.
 */
HONE_JANSSON_API hone_sink hone_buffer_sink(hone_buffer *buffer);

/* ------------------------------------------------------------------------- */
/* Writing into a sink                                                       */
/* ------------------------------------------------------------------------- */

/** Writes the NUL-terminated `text` into `sink`. A NULL sink or text does nothing. */
HONE_JANSSON_API void hone_sink_write_str(hone_sink *sink, const char *text);

/** Writes a printf-formatted message into `sink`. A NULL sink does nothing. */
HONE_JANSSON_API void hone_sink_printf(hone_sink *sink, const char *format, ...) HONE_JANSSON_PRINTF(2, 3);

/** va_list form of hone_sink_printf. */
HONE_JANSSON_API void hone_sink_vprintf(hone_sink *sink, const char *format, va_list args);

/**
 * Writes a formatted message into `sink` and returns `status`, so that a
 * failure is one line: `return hone_fail(error, HONE_ERR_CONFIG, "...", ...);`
 */
HONE_JANSSON_API hone_status hone_fail(hone_sink *sink, hone_status status, const char *format, ...)
    HONE_JANSSON_PRINTF(3, 4);

/**
 * Serialises `value` as compact JSON and writes it into `sink`.
 *
 * `value` is borrowed (not stolen). Returns HONE_OK, or HONE_ERR_INTERNAL
 * after writing an error message into the same sink when jansson cannot
 * serialise it (out of memory). So `run` can end with
 * `status = hone_sink_write_json(result, doc); json_decref(doc); return status;`.
 */
HONE_JANSSON_API hone_status hone_sink_write_json(hone_sink *sink, const json_t *value);

/* ------------------------------------------------------------------------- */
/* Reading JSON from the host                                                */
/* ------------------------------------------------------------------------- */

/**
 * The JSON type of `value` as a user reads it: "object", "array", "string",
 * "integer", "number", "boolean", "null", or "nothing" for NULL.
 */
HONE_JANSSON_API const char *hone_json_type_name(const json_t *value);

/**
 * Parses the borrowed string `text` (e.g. the `config_json` of create or
 * the `run_json` of run) into a NEW reference; decref it when done.
 *
 * On failure returns NULL and writes "WHAT: invalid JSON at line L, column
 * C: REASON" into `error` (which may be NULL). `what` names the document in
 * that message, e.g. "run request".
 */
HONE_JANSSON_API json_t *hone_json_parse(const char *text, const char *what, hone_sink *error);

/**
 * json_unpack_ex with a readable failure: on a shape mismatch writes
 * "WHAT: REASON (at PATH)" into `error` and returns HONE_ERR_INVALID_ARGUMENT.
 *
 * Strings ("s") and values ("o") it extracts are BORROWED from `value`.
 * Example: hone_unpack(run, error, "run request", "{s:{s:o}}", "task", "train", &train).
 */
HONE_JANSSON_API hone_status hone_unpack(json_t *value, hone_sink *error, const char *what, const char *format, ...);

/* ------------------------------------------------------------------------- */
/* Calling the host                                                          */
/* ------------------------------------------------------------------------- */

/**
 * Calls host->evaluate with `request` (borrowed; see docs/plugins.md for its
 * fields) and parses the answer.
 *
 * On HONE_OK, *response is a NEW reference to
 * {"results": [...], "budget": {...}}; decref it.
 * Otherwise *response is NULL and, when `message` is not NULL, it holds the
 * host's message (it is cleared first). HONE_ERR_BUDGET_EXHAUSTED means the
 * budget could not cover the request and nothing was evaluated: stop and
 * return the best prompt so far. HONE_ERR_UNSUPPORTED means the host table
 * has no evaluate function.
 */
HONE_JANSSON_API hone_status hone_evaluate(const hone_host *host, const json_t *request, json_t **response,
                                           hone_buffer *message);

/**
 * Calls host->backend_call with `request` ({"op": "embed"|"score"|"generate",
 * ...}, borrowed) and parses the answer. Same contract as hone_evaluate.
 */
HONE_JANSSON_API hone_status hone_backend_call(const hone_host *host, const json_t *request, json_t **response,
                                               hone_buffer *message);

/**
 * Logs a printf-formatted message through host->log at a HONE_LOG_* level.
 * Does nothing if the host has no log function.
 */
HONE_JANSSON_API void hone_logf(const hone_host *host, int32_t level, const char *format, ...)
    HONE_JANSSON_PRINTF(3, 4);

/* ------------------------------------------------------------------------- */
/* Artifact renderers (ABI 1.1, "hone.artifact.renderer/1")                  */
/* ------------------------------------------------------------------------- */

/**
 * Reads the request of hone_artifact_renderer.render, {"inputs": ["...", ...]},
 * and returns a NEW reference to its "inputs" array, every element checked to
 * be a string; decref it when done. On failure returns NULL after writing
 * what was wrong into `error` (may be NULL), e.g. "render request: inputs[2]
 * is a number, expected a string"; return HONE_ERR_INVALID_ARGUMENT then.
 */
HONE_JANSSON_API json_t *hone_render_inputs(const char *request_json, hone_sink *error);

/**
 * Writes the answer of render, {"prompts": prompts}, into `result`.
 * `prompts` (borrowed) must be an array of `input_count` strings, one per
 * input in order; otherwise nothing is written but a message saying so and
 * HONE_ERR_INTERNAL is returned (the host would refuse the answer anyway).
 */
HONE_JANSSON_API hone_status hone_render_write_prompts(hone_sink *result, const json_t *prompts, size_t input_count);

/* ------------------------------------------------------------------------- */
/* Typed config getters                                                      */
/* ------------------------------------------------------------------------- */
/*
 * Each reads the member `key` of the object `config`. When the member is
 * absent or null, *out is set to `fallback` and HONE_OK is returned. When it
 * has the wrong type, *out is left unchanged, a message such as
 * "config.rounds: expected an integer, got a string" is written into `error`
 * (may be NULL) and HONE_ERR_CONFIG is returned. A NULL or non-object
 * `config` is reported the same way.
 */

/** Reads an integer; a real with an integral value (5.0) is accepted. */
HONE_JANSSON_API hone_status hone_config_int(const json_t *config, const char *key, json_int_t fallback,
                                             json_int_t *out, hone_sink *error);

/** Reads a number (integer or real) as a double. */
HONE_JANSSON_API hone_status hone_config_double(const json_t *config, const char *key, double fallback,
                                                double *out, hone_sink *error);

/** Reads a boolean as 0 or 1. */
HONE_JANSSON_API hone_status hone_config_bool(const json_t *config, const char *key, int fallback, int *out,
                                              hone_sink *error);

/**
 * Reads a string. *out is BORROWED from `config` (or is `fallback`): valid
 * while `config` lives; strdup it to keep it longer.
 */
HONE_JANSSON_API hone_status hone_config_string(const json_t *config, const char *key, const char *fallback,
                                                const char **out, hone_sink *error);

/**
 * Reads an array. *out is a BORROWED reference into `config`, or NULL when
 * the member is absent or null (there is no fallback).
 */
HONE_JANSSON_API hone_status hone_config_array(const json_t *config, const char *key, const json_t **out,
                                               hone_sink *error);

#ifdef __cplusplus
}
#endif
#endif /* HONE_JANSSON_H */
