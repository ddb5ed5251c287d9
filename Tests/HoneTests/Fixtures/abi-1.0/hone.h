/*
 * hone.h — the Hone plugin ABI, version 1.
 *
 * This is the only header a plugin needs. A plugin is a shared library that
 * exports ONE function, `hone_plugin_entry_v1`, which returns a static table
 * describing the plugins the library holds. The host (the `hone` CLI or any
 * program embedding the `Hone` Swift library) loads the library with
 * dlopen(path, RTLD_NOW | RTLD_LOCAL), calls the entry, checks the table, and
 * then talks to each plugin only through the function pointers below.
 *
 * Rules that hold for every function in this header
 * -------------------------------------------------
 * - Strings are NUL-terminated UTF-8. Structured data is JSON text.
 * - Strings passed *into* a function are borrowed: valid only until that call
 *   returns. Copy what you keep.
 * - Memory is never freed on the other side of the boundary. Data travels
 *   back through a `hone_sink` provided by the side that wants the data; the
 *   receiver copies the bytes before `write` returns.
 * - No Swift error, C++ exception, longjmp or Swift type ever crosses the
 *   boundary. Failures are `hone_status` codes plus a UTF-8 message.
 * - The host serializes every call on one plugin instance: a plugin never sees
 *   two calls on the same instance at once. Calls may come from any thread
 *   (never assume the main thread), and the host runs `run` on a dedicated
 *   thread, so a plugin may block inside it.
 * - Cancellation is cooperative: long work polls `host->is_cancelled`.
 *
 * Versioning
 * ----------
 * The ABI major version is part of the entry symbol's name. A host refuses a
 * library whose table has another major version. Within a major version every
 * struct only ever grows at its end; `struct_size` tells the reader which
 * fields exist. Optional abilities are looked up by string id with a
 * revision, e.g. "hone.optimizer.resume/1", through `get_extension`.
 *
 * See docs/plugins.md for a walk-through, the JSON formats and examples.
 */
#ifndef HONE_H
#define HONE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ABI major version: a change here means old plugins cannot load. */
#define HONE_ABI_VERSION_MAJOR 1
/** ABI minor version: grows when fields are appended; old plugins still load. */
#define HONE_ABI_VERSION_MINOR 0
/** First field of every `hone_plugin_library`: the bytes "HONE" read as a little-endian uint32. */
#define HONE_PLUGIN_MAGIC 0x454E4F48u
/** The entry symbol for ABI major version 1, as a string for dlsym. */
#define HONE_PLUGIN_ENTRY_SYMBOL "hone_plugin_entry_v1"

/** Marks the entry function as exported even when building with -fvisibility=hidden. */
#if defined(_WIN32)
#  define HONE_EXPORT __declspec(dllexport)
#else
#  define HONE_EXPORT __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------- */
/* Status codes                                                              */
/* ------------------------------------------------------------------------- */

/** Result of every fallible call. Fixed width; 0 means success. */
typedef int32_t hone_status;

enum {
    HONE_OK = 0,                     /**< Success. */
    HONE_ERR_INVALID_ARGUMENT = 1,   /**< A JSON argument was malformed or had the wrong shape. */
    HONE_ERR_CONFIG = 2,             /**< The plugin's configuration is not acceptable. */
    HONE_ERR_BACKEND = 3,            /**< The backend failed (after the host's retries). */
    HONE_ERR_BUDGET_EXHAUSTED = 4,   /**< The stage's budget is spent; return the best result so far. */
    HONE_ERR_CANCELLED = 5,          /**< The run was cancelled; return the best result so far. */
    HONE_ERR_UNSUPPORTED = 6,        /**< The request names something this side does not offer. */
    HONE_ERR_NOT_FOUND = 7,          /**< Nothing stored under that name (e.g. no checkpoint yet). */
    HONE_ERR_INTERNAL = 8            /**< A bug or an unexpected state; the message says more. */
};

/** Log levels for `hone_host.log`. */
enum {
    HONE_LOG_TRACE = 0,
    HONE_LOG_DEBUG = 1,
    HONE_LOG_INFO = 2,
    HONE_LOG_WARNING = 3,
    HONE_LOG_ERROR = 4
};

/** Plugin kinds. Only optimizers exist in ABI 1.0; the others are reserved. */
enum {
    HONE_KIND_OPTIMIZER = 1,
    HONE_KIND_EVALUATOR = 2,   /* reserved */
    HONE_KIND_BACKEND = 3      /* reserved */
};

/* ------------------------------------------------------------------------- */
/* Sinks: how bytes cross the boundary                                       */
/* ------------------------------------------------------------------------- */

/**
 * A receiver of bytes, owned by the side that wants the data.
 *
 * The producer calls `write` zero or more times before the call that was
 * handed the sink returns; the receiver appends and copies the bytes before
 * `write` returns. The producer never keeps the sink after that call.
 * Bytes are UTF-8; their meaning (JSON result or error message) is stated by
 * each function that takes a sink.
 */
typedef struct hone_sink {
    /** Receiver's private state, passed back to `write` unchanged. */
    void *context;
    /** Append `length` bytes (not NUL-terminated) to the receiver's buffer. */
    void (*write)(void *context, const char *bytes, size_t length);
} hone_sink;

/* ------------------------------------------------------------------------- */
/* The host, as seen by a plugin                                             */
/* ------------------------------------------------------------------------- */

typedef struct hone_host hone_host;
typedef struct hone_plugin_descriptor hone_plugin_descriptor;

/**
 * The host's API, handed to a plugin instance at creation (SQLite's pattern:
 * a table of function pointers, so a plugin links against nothing of the host).
 *
 * The pointer and the table stay valid until `destroy` returns for the
 * instance it was given to. Fields are only ever appended: read a field only
 * if `offsetof(field) + sizeof(field) <= struct_size`.
 *
 * Threading: every function may be called from the thread the host called
 * the plugin on (inside `create` or `run`). Calling from other threads the
 * plugin starts is allowed for `log`, `progress` and `is_cancelled` only.
 */
struct hone_host {
    /** sizeof(hone_host) as the host was compiled. */
    uint32_t struct_size;
    /** The host's ABI version. */
    uint32_t abi_major;
    uint32_t abi_minor;
    /** Opaque host state; pass `host` itself back to every function below. */
    void *host_data;

    /**
     * Evaluate candidate prompts on a split the plugin may see (train or dev).
     * request_json: {"prompts": [<prompt>...], "split": "train"|"dev",
     *                "indices": [int...] (optional subset), "details": bool}
     * where <prompt> is a string or a prompt artifact object.
     * On HONE_OK `result` receives {"results": [{"score": number,
     *   "examples": [{"index", "label", "predicted", "probabilities": [...]}]}],
     *   "budget": {...}}; otherwise `result` receives an error message.
     * Returns HONE_ERR_BUDGET_EXHAUSTED when the stage's budget cannot cover
     * the request (nothing is evaluated then). Blocking.
     */
    hone_status (*evaluate)(const hone_host *host, const char *request_json, hone_sink *result);

    /**
     * Call the backend directly: {"op": "embed"|"score"|"generate", ...}
     * (see docs/plugins.md for each op). Counted against the budget and
     * cached like evaluations. On HONE_OK `result` receives the response JSON;
     * otherwise an error message. Blocking.
     */
    hone_status (*backend_call)(const hone_host *host, const char *request_json, hone_sink *result);

    /** Log a UTF-8 message at a HONE_LOG_* level. Never fails. */
    void (*log)(const hone_host *host, int32_t level, const char *message);

    /** Report progress: `fraction` in [0, 1] (or negative if unknown) and a short status line (may be NULL). */
    void (*progress)(const hone_host *host, double fraction, const char *message);

    /** Non-zero once the run has been cancelled or the budget is spent. Cheap: poll it often. */
    int32_t (*is_cancelled)(const hone_host *host);

    /** Store the plugin's resumable state (JSON). Replaces the previous checkpoint of this stage. */
    hone_status (*checkpoint_save)(const hone_host *host, const char *state_json);

    /** Load this stage's last checkpoint into `state`; HONE_ERR_NOT_FOUND when there is none. */
    hone_status (*checkpoint_load)(const hone_host *host, hone_sink *state);

    /**
     * Look up an optional host ability by id and revision, e.g. "hone.host.ledger/1".
     * Returns NULL when the host does not offer it. The pointer stays valid as
     * long as `host` does.
     */
    const void *(*get_extension)(const hone_host *host, const char *extension_id);
};

/* ------------------------------------------------------------------------- */
/* Optimizers, as seen by the host                                           */
/* ------------------------------------------------------------------------- */

/**
 * The functions of an optimizer plugin. Static storage, owned by the plugin.
 *
 * Lifecycle: create -> run (once per stage) -> destroy. `run` may be called
 * again on the same instance only after it returned.
 */
typedef struct hone_optimizer_vtable {
    /** sizeof(hone_optimizer_vtable) as the plugin was compiled. */
    uint32_t struct_size;

    /**
     * Create an instance of the plugin `descriptor` (the descriptor this
     * vtable was reached through, so one vtable may serve several plugins).
     * `config_json` is the stage's "config" object, already checked by the
     * host against the descriptor's schema. `host` stays valid until destroy.
     * On HONE_OK set *out_instance; otherwise write a message to `error`
     * (it may be the only way the user learns what was wrong).
     */
    hone_status (*create)(const hone_plugin_descriptor *descriptor, const hone_host *host,
                          const char *config_json, void **out_instance, hone_sink *error);

    /**
     * Optimize. `run_json` holds the seed prompt, the task (labels, template,
     * metric, train and dev examples; never test), the budget and the seed:
     * see docs/plugins.md. On HONE_OK `result` receives
     * {"best_prompt": <artifact>, "summary": {...}, "curve": [...]};
     * on failure, an error message. A plugin that ran out of budget or was
     * cancelled still returns HONE_OK with its best prompt so far.
     * Runs on a dedicated thread; may block.
     */
    hone_status (*run)(void *instance, const char *run_json, hone_sink *result);

    /** Release the instance. Never fails. */
    void (*destroy)(void *instance);
} hone_optimizer_vtable;

/* ------------------------------------------------------------------------- */
/* Descriptors and the library table                                         */
/* ------------------------------------------------------------------------- */

/**
 * What one plugin is. Static storage, owned by the plugin library; the host
 * copies every string it keeps.
 */
struct hone_plugin_descriptor {
    /** sizeof(hone_plugin_descriptor) as the plugin was compiled. */
    uint32_t struct_size;
    /** HONE_KIND_OPTIMIZER. */
    uint32_t kind;
    /** Unique reverse-DNS id, e.g. "org.hone.random-search". Lower case, dots and dashes. */
    const char *id;
    /** Human name, e.g. "Random search". */
    const char *name;
    /** Plugin version, semantic versioning, e.g. "1.0.0". */
    const char *version;
    /** One line saying what it does. */
    const char *description;
    /** JSON Schema (draft 2020-12 subset, see docs/plugins.md) of the stage config. */
    const char *config_schema_json;
    /** JSON array of backend capabilities it needs: any of "generate", "score", "embed". */
    const char *capabilities_json;
    /**
     * The toolchain whose runtime the library depends on: "c" for a library
     * with no language runtime of its own, or "swift-X.Y.Z" for Swift. The
     * host refuses a Swift plugin built with another Swift than its own.
     */
    const char *toolchain;
    /** Kind-specific function table: `const hone_optimizer_vtable *` for optimizers. */
    const void *vtable;
    /** Optional abilities by id and revision, e.g. "hone.optimizer.resume/1"; NULL if none. May be NULL. */
    const void *(*get_extension)(const char *extension_id);
};

/** The table returned by the entry function. Static storage, never freed. */
typedef struct hone_plugin_library {
    /** Must be HONE_PLUGIN_MAGIC. */
    uint32_t magic;
    /** sizeof(hone_plugin_library) as the plugin was compiled. */
    uint32_t struct_size;
    /** HONE_ABI_VERSION_MAJOR and _MINOR the plugin was compiled against. */
    uint32_t abi_major;
    uint32_t abi_minor;
    /** Number of entries in `plugins`. */
    uint32_t plugin_count;
    /** `plugin_count` descriptors. */
    const hone_plugin_descriptor *const *plugins;
} hone_plugin_library;

/** Signature of the entry function. */
typedef const hone_plugin_library *(*hone_plugin_entry_fn)(void);

/**
 * The one exported symbol of a plugin library for ABI major version 1.
 * Called once, from any thread, possibly before any other function; must not
 * fail and must return the same static table every time.
 */
HONE_EXPORT const hone_plugin_library *hone_plugin_entry_v1(void);

/** A short English name for a status code ("ok", "budget exhausted", ...). */
static inline const char *hone_status_name(hone_status status) {
    switch (status) {
    case HONE_OK: return "ok";
    case HONE_ERR_INVALID_ARGUMENT: return "invalid argument";
    case HONE_ERR_CONFIG: return "configuration error";
    case HONE_ERR_BACKEND: return "backend error";
    case HONE_ERR_BUDGET_EXHAUSTED: return "budget exhausted";
    case HONE_ERR_CANCELLED: return "cancelled";
    case HONE_ERR_UNSUPPORTED: return "unsupported";
    case HONE_ERR_NOT_FOUND: return "not found";
    case HONE_ERR_INTERNAL: return "internal error";
    default: return "unknown status";
    }
}

#ifdef __cplusplus
}
#endif
#endif /* HONE_H */
