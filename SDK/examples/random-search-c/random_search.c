/*
 * random_search.c — the random-search baseline as a Hone optimizer plugin in C.
 *
 * Each round draws `candidates_per_round` prompts of `prompt_length` tokens,
 * every token uniformly from a vocabulary (config `vocabulary`, else the
 * `vocab_size` most frequent words of the training inputs), scores them on
 * the train split and keeps the best. At the end the `dev_top_k` best by
 * train are scored on dev, and the prompt with the best score on train+dev
 * (the example-weighted mean of both) wins. This is the baseline of
 * docs/methods.md: random search over RLPrompt's vocabulary and length, with
 * the same number of backend calls as the method it is compared with.
 *
 * Budget: the dev re-ranking is reserved up front, so the rounds never eat
 * the calls it needs. The search stops cleanly, returning the best prompt so
 * far, when the host answers HONE_ERR_BUDGET_EXHAUSTED or HONE_ERR_CANCELLED
 * or host->is_cancelled turns non-zero.
 *
 * Deterministic given the seed (config `seed`, else the run's seed): all
 * randomness comes from the splitmix64 generator below, never from rand().
 *
 * Checkpoints: after every `checkpoint_every` rounds the search so far (the
 * generator's state, the best prompts, the curve) is saved through
 * host->checkpoint_save. A run that finds a checkpoint made with the same
 * seed, settings and vocabulary continues after the checkpoint's last round
 * and ends exactly as a run that was never stopped there; any other
 * checkpoint is ignored with a warning.
 *
 * Depends on hone.h, hone_jansson.h and libjansson only. Only
 * hone_plugin_entry_v1 is exported; everything else is static or hidden.
 */

/* POSIX.1-2008 (strdup, strndup, clock_gettime, ...): -std=c99 hides every function outside
 * ISO C, and a call to a hidden one compiles as an implicit declaration returning int, which
 * truncates pointers on LP64. Defined before the first #include; the Makefile passes the same. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hone.h"
#include "hone_jansson.h"

/** The plugin's id; also the `method` of the prompts it returns. */
#define RS_PLUGIN_ID "org.hone.random-search"
#define RS_PLUGIN_NAME "Random search"
#define RS_PLUGIN_DESCRIPTION "Random prompts of vocabulary tokens, best on train re-ranked on train+dev (the RLPrompt baseline)."

/* ------------------------------------------------------------------------- */
/* Configuration                                                             */
/* ------------------------------------------------------------------------- */

/** JSON Schema of the stage config; the host validates configs against it before create. */
static const char rs_config_schema[] =
    "{"
    "\"type\":\"object\","
    "\"additionalProperties\":false,"
    "\"properties\":{"
    "\"prompt_length\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":64,\"default\":5,"
    "\"description\":\"Tokens per prompt (RLPrompt uses 5 for classification).\"},"
    "\"candidates_per_round\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":4096,\"default\":16,"
    "\"description\":\"Prompts drawn and scored on train in each round.\"},"
    "\"rounds\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000000,\"default\":50,"
    "\"description\":\"Maximum number of rounds; the budget may end the search sooner.\"},"
    "\"vocab_size\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000000,\"default\":1000,"
    "\"description\":\"Cap on the vocabulary: the most frequent words (or the first entries of vocabulary).\"},"
    "\"dev_top_k\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000,\"default\":4,"
    "\"description\":\"Best-on-train prompts re-ranked on train+dev at the end; 0 picks on train alone.\"},"
    "\"seed\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":9007199254740991,"
    "\"description\":\"Overrides the pipeline seed for this stage.\"},"
    "\"vocabulary\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"string\",\"minLength\":1},"
    "\"description\":\"Tokens to draw from; default: words of the training inputs.\"},"
    "\"checkpoint_every\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000000,\"default\":1,"
    "\"description\":\"Save a checkpoint after every this many rounds, so that hone resume continues the search "
    "instead of repeating it; 0 saves none.\"}"
    "}"
    "}";

/**
 * Backend capabilities the plugin calls itself: none. It only asks the host to evaluate
 * prompts, and the host checks that the backend offers what the task's evaluator needs
 * (`score` to classify, `generate` to write outputs), so the plugin runs on either kind of task.
 */
static const char rs_capabilities[] = "[]";

/** One instance: the checked config and the host table. */
typedef struct rs_instance {
    const hone_host *host;
    int prompt_length;
    int candidates_per_round;
    long rounds;
    long vocab_size;
    int dev_top_k;
    int has_seed;
    uint64_t seed;
    long checkpoint_every; /* rounds between checkpoints; 0 = none */
    /** Tokens from config `vocabulary` (owned copies), or NULL to use the training inputs. */
    char **vocabulary;
    size_t vocabulary_count;
} rs_instance;

/** Reads an integer member and checks its range, naming the key in the error. */
static hone_status rs_config_ranged(const json_t *config, const char *key, json_int_t fallback, json_int_t min,
                                    json_int_t max, json_int_t *out, hone_sink *error) {
    hone_status status = hone_config_int(config, key, fallback, out, error);
    if (status != HONE_OK) return status;
    if (*out < min || *out > max) {
        return hone_fail(error, HONE_ERR_CONFIG, "config.%s: %lld is out of range; use a value from %lld to %lld", key,
                         (long long)*out, (long long)min, (long long)max);
    }
    return HONE_OK;
}

/** Frees an instance and its vocabulary copy; NULL is allowed. */
static void rs_instance_free(rs_instance *instance) {
    if (instance == NULL) return;
    for (size_t i = 0; i < instance->vocabulary_count; i++) free(instance->vocabulary[i]);
    free(instance->vocabulary);
    free(instance);
}

/** Copies config `vocabulary` into the instance, refusing non-strings and empty strings. */
static hone_status rs_copy_vocabulary(rs_instance *instance, const json_t *array, hone_sink *error) {
    size_t count = json_array_size(array);
    if (count == 0) {
        return hone_fail(error, HONE_ERR_CONFIG,
                         "config.vocabulary: the array is empty; list at least one token or leave it out to use the "
                         "words of the training inputs");
    }
    if (count > (size_t)instance->vocab_size) count = (size_t)instance->vocab_size;
    instance->vocabulary = calloc(count, sizeof(char *));
    if (instance->vocabulary == NULL) return hone_fail(error, HONE_ERR_INTERNAL, "out of memory copying config.vocabulary");
    for (size_t i = 0; i < count; i++) {
        const json_t *item = json_array_get(array, i);
        if (!json_is_string(item) || json_string_length(item) == 0) {
            return hone_fail(error, HONE_ERR_CONFIG, "config.vocabulary[%zu]: expected a non-empty string, got %s", i,
                             json_is_string(item) ? "an empty string" : hone_json_type_name(item));
        }
        instance->vocabulary[i] = strdup(json_string_value(item));
        if (instance->vocabulary[i] == NULL) return hone_fail(error, HONE_ERR_INTERNAL, "out of memory copying config.vocabulary");
        instance->vocabulary_count = i + 1;
    }
    return HONE_OK;
}

/** The vtable's create: checks the config and keeps it with the host table. */
static hone_status rs_create(const hone_plugin_descriptor *descriptor, const hone_host *host, const char *config_json,
                             void **out_instance, hone_sink *error) {
    (void)descriptor;
    if (host == NULL || out_instance == NULL) {
        return hone_fail(error, HONE_ERR_INVALID_ARGUMENT, RS_PLUGIN_ID ": create needs a host and an out pointer");
    }
    json_t *config = hone_json_parse(config_json, "config", error);
    if (config == NULL) return HONE_ERR_CONFIG;

    rs_instance *instance = calloc(1, sizeof *instance);
    if (instance == NULL) {
        json_decref(config);
        return hone_fail(error, HONE_ERR_INTERNAL, "out of memory creating " RS_PLUGIN_ID);
    }
    instance->host = host;

    json_int_t prompt_length = 0, candidates = 0, rounds = 0, vocab_size = 0, top_k = 0, seed = 0, every = 0;
    const json_t *vocabulary = NULL;
    hone_status status = rs_config_ranged(config, "prompt_length", 5, 1, 64, &prompt_length, error);
    if (status == HONE_OK) status = rs_config_ranged(config, "candidates_per_round", 16, 1, 4096, &candidates, error);
    if (status == HONE_OK) status = rs_config_ranged(config, "rounds", 50, 1, 1000000, &rounds, error);
    if (status == HONE_OK) status = rs_config_ranged(config, "vocab_size", 1000, 1, 1000000, &vocab_size, error);
    if (status == HONE_OK) status = rs_config_ranged(config, "dev_top_k", 4, 0, 1000, &top_k, error);
    if (status == HONE_OK) status = rs_config_ranged(config, "seed", -1, -1, 9007199254740991LL, &seed, error);
    if (status == HONE_OK) status = rs_config_ranged(config, "checkpoint_every", 1, 0, 1000000, &every, error);
    if (status == HONE_OK) status = hone_config_array(config, "vocabulary", &vocabulary, error);
    if (status == HONE_OK) {
        instance->prompt_length = (int)prompt_length;
        instance->candidates_per_round = (int)candidates;
        instance->rounds = (long)rounds;
        instance->vocab_size = (long)vocab_size;
        instance->dev_top_k = (int)top_k;
        instance->has_seed = seed >= 0;
        instance->seed = seed >= 0 ? (uint64_t)seed : 0;
        instance->checkpoint_every = (long)every;
        if (vocabulary != NULL) status = rs_copy_vocabulary(instance, vocabulary, error);
    }
    json_decref(config);
    if (status != HONE_OK) {
        rs_instance_free(instance);
        return status;
    }
    *out_instance = instance;
    return HONE_OK;
}

/** The vtable's destroy. */
static void rs_destroy(void *instance) {
    rs_instance_free(instance);
}

/* ------------------------------------------------------------------------- */
/* Randomness: splitmix64                                                    */
/* ------------------------------------------------------------------------- */

/** Next 64 random bits (Steele, Lea & Flood's splitmix64). */
static uint64_t rs_next(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/** A uniform integer in [0, bound), bound > 0, without modulo bias. */
static uint64_t rs_below(uint64_t *state, uint64_t bound) {
    uint64_t threshold = (0 - bound) % bound; /* 2^64 mod bound */
    for (;;) {
        uint64_t r = rs_next(state);
        if (r >= threshold) return r % bound;
    }
}

/* ------------------------------------------------------------------------- */
/* Vocabulary from the training inputs                                       */
/* ------------------------------------------------------------------------- */

/** A word with its frequency and first position, for a deterministic ranking. */
typedef struct rs_word {
    const char *text; /* borrowed from the counting object */
    json_int_t count;
    size_t first;
} rs_word;

/** Most frequent first; ties by first appearance. */
static int rs_word_order(const void *a, const void *b) {
    const rs_word *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return x->first < y->first ? -1 : (x->first > y->first ? 1 : 0);
}

/** Whether a byte belongs to a word: ASCII letters, digits, apostrophe, and every byte of a multi-byte UTF-8 character. */
static int rs_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' || c >= 0x80;
}

/**
 * Fills `out` (owned copies of the words, at most `cap`) with the most frequent
 * words of the train inputs, lower-cased (ASCII). Returns HONE_OK or reports into `error`.
 */
static hone_status rs_words_from_train(const json_t *train, long cap, char ***out, size_t *out_count,
                                       hone_sink *error) {
    *out = NULL;
    *out_count = 0;
    /* A jansson object is an insertion-ordered hash table: word -> [count, first position]. */
    json_t *counts = json_object();
    char *word = NULL;
    size_t word_capacity = 0;
    if (counts == NULL) return hone_fail(error, HONE_ERR_INTERNAL, "out of memory building the vocabulary");
    size_t position = 0;
    size_t index;
    const json_t *example;
    json_array_foreach(train, index, example) {
        const char *input = json_string_value(json_object_get(example, "input"));
        if (input == NULL) continue;
        const unsigned char *p = (const unsigned char *)input;
        while (*p != '\0') {
            while (*p != '\0' && !rs_word_byte(*p)) p++;
            const unsigned char *start = p;
            while (*p != '\0' && rs_word_byte(*p)) p++;
            size_t length = (size_t)(p - start);
            if (length == 0) continue;
            if (length + 1 > word_capacity) {
                char *grown = realloc(word, length + 1);
                if (grown == NULL) goto out_of_memory;
                word = grown;
                word_capacity = length + 1;
            }
            for (size_t i = 0; i < length; i++) {
                unsigned char c = start[i];
                word[i] = (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
            }
            word[length] = '\0';
            json_t *entry = json_object_get(counts, word);
            if (entry != NULL) {
                json_t *count = json_array_get(entry, 0);
                json_integer_set(count, json_integer_value(count) + 1);
            } else if (json_object_set_new_nocheck(counts, word, json_pack("[iI]", 1, (json_int_t)position)) != 0) {
                goto out_of_memory;
            }
            position++;
        }
    }
    free(word);
    word = NULL;

    size_t distinct = json_object_size(counts);
    rs_word *words = calloc(distinct > 0 ? distinct : 1, sizeof *words);
    if (words == NULL) goto out_of_memory;
    size_t n = 0;
    const char *key;
    json_t *entry;
    json_object_foreach(counts, key, entry) {
        words[n].text = key;
        words[n].count = json_integer_value(json_array_get(entry, 0));
        words[n].first = (size_t)json_integer_value(json_array_get(entry, 1));
        n++;
    }
    qsort(words, n, sizeof *words, rs_word_order);
    size_t keep = n < (size_t)cap ? n : (size_t)cap;
    char **list = calloc(keep > 0 ? keep : 1, sizeof(char *));
    if (list == NULL) {
        free(words);
        goto out_of_memory;
    }
    for (size_t i = 0; i < keep; i++) {
        list[i] = strdup(words[i].text);
        if (list[i] == NULL) {
            for (size_t j = 0; j < i; j++) free(list[j]);
            free(list);
            free(words);
            goto out_of_memory;
        }
    }
    free(words);
    json_decref(counts);
    *out = list;
    *out_count = keep;
    return HONE_OK;

out_of_memory:
    free(word);
    json_decref(counts);
    return hone_fail(error, HONE_ERR_INTERNAL, "out of memory building the vocabulary from the training inputs");
}

/* ------------------------------------------------------------------------- */
/* Candidates                                                                */
/* ------------------------------------------------------------------------- */

/** A scored prompt. `text` and `tokens` are owned. */
typedef struct rs_candidate {
    char *text;
    size_t *tokens;
    double train;
    double dev;
    int has_dev;
    long order; /* draw number, for deterministic ties */
} rs_candidate;

/** Frees a candidate's text and tokens and zeroes it. */
static void rs_candidate_clear(rs_candidate *candidate) {
    free(candidate->text);
    free(candidate->tokens);
    memset(candidate, 0, sizeof *candidate);
}

/**
 * Sets `candidate->text` to its `length` tokens (indices into `vocabulary`)
 * joined with spaces, replacing any text it had. Returns 0 when out of memory.
 */
static int rs_join_tokens(rs_candidate *candidate, char *const *vocabulary, int length) {
    size_t total = 1;
    for (int i = 0; i < length; i++) total += strlen(vocabulary[candidate->tokens[i]]) + 1;
    char *text = malloc(total);
    if (text == NULL) return 0;
    char *p = text;
    for (int i = 0; i < length; i++) {
        if (i > 0) *p++ = ' ';
        size_t n = strlen(vocabulary[candidate->tokens[i]]);
        memcpy(p, vocabulary[candidate->tokens[i]], n);
        p += n;
    }
    *p = '\0';
    free(candidate->text);
    candidate->text = text;
    return 1;
}

/** Draws `length` tokens and joins them with spaces. Returns 0 when out of memory. */
static int rs_draw(rs_candidate *out, uint64_t *rng, char *const *vocabulary, size_t vocabulary_count, int length,
                   long order) {
    memset(out, 0, sizeof *out);
    out->tokens = malloc((size_t)length * sizeof(size_t));
    if (out->tokens == NULL) return 0;
    for (int i = 0; i < length; i++) out->tokens[i] = (size_t)rs_below(rng, (uint64_t)vocabulary_count);
    if (!rs_join_tokens(out, vocabulary, length)) {
        rs_candidate_clear(out);
        return 0;
    }
    out->order = order;
    return 1;
}

/** Whether `a` ranks above `b` on train (earlier draw wins ties). */
static int rs_better_on_train(const rs_candidate *a, const rs_candidate *b) {
    if (a->train != b->train) return a->train > b->train;
    return a->order < b->order;
}

/**
 * Offers `candidate` to the top list (sorted, best first, at most `capacity`,
 * distinct texts). Takes ownership: the candidate is kept or freed.
 */
static void rs_offer(rs_candidate *top, size_t *count, size_t capacity, rs_candidate *candidate) {
    /* A prompt drawn twice scores the same; keep one copy so the dev re-ranking sees distinct prompts. */
    for (size_t i = 0; i < *count; i++) {
        if (strcmp(top[i].text, candidate->text) == 0) {
            rs_candidate_clear(candidate);
            return;
        }
    }
    size_t position = *count;
    while (position > 0 && rs_better_on_train(candidate, &top[position - 1])) position--;
    if (position >= capacity) {
        rs_candidate_clear(candidate);
        return;
    }
    if (*count == capacity) {
        rs_candidate_clear(&top[capacity - 1]);
        (*count)--;
    }
    memmove(&top[position + 1], &top[position], (*count - position) * sizeof *top);
    top[position] = *candidate;
    memset(candidate, 0, sizeof *candidate);
    (*count)++;
}

/* ------------------------------------------------------------------------- */
/* Talking to the host                                                       */
/* ------------------------------------------------------------------------- */

/** Why the search ended. */
typedef enum { RS_COMPLETED, RS_BUDGET, RS_CANCELLED } rs_stop;

/** The stop reason as the summary's `stopped` names it. */
static const char *rs_stop_name(rs_stop stop) {
    switch (stop) {
    case RS_COMPLETED: return "completed";
    case RS_BUDGET: return "budget";
    case RS_CANCELLED: return "cancelled";
    }
    return "completed";
}

/** Budget bookkeeping from the run request and each evaluation answer. */
typedef struct rs_budget {
    int limited;        /* the stage has a call limit */
    json_int_t remaining; /* calls left, when limited */
    json_int_t used;      /* calls used in the stage so far */
} rs_budget;

/** Updates the bookkeeping from a {"limit_calls","used_calls","remaining_calls"} object. */
static void rs_budget_read(rs_budget *budget, const json_t *status) {
    const json_t *used = json_object_get(status, "used_calls");
    const json_t *limit = json_object_get(status, "limit_calls");
    const json_t *remaining = json_object_get(status, "remaining_calls");
    if (json_is_integer(used)) budget->used = json_integer_value(used);
    budget->limited = json_is_integer(limit);
    if (json_is_integer(remaining)) {
        budget->remaining = json_integer_value(remaining);
    } else if (budget->limited) {
        budget->remaining = json_integer_value(limit) - budget->used;
    }
    if (budget->remaining < 0) budget->remaining = 0;
}

/**
 * Scores `count` candidates on `split`, writing each score into `train` or
 * `dev`. Returns the host's status; on failure `message` holds its message.
 */
static hone_status rs_score(const hone_host *host, rs_candidate *const *candidates, size_t count, const char *split,
                            rs_budget *budget, hone_buffer *message) {
    json_t *prompts = json_array();
    for (size_t i = 0; i < count; i++) json_array_append_new(prompts, json_string(candidates[i]->text));
    json_t *request = json_pack("{s:o, s:s, s:b}", "prompts", prompts, "split", split, "details", 0);
    if (request == NULL) {
        hone_buffer_clear(message);
        hone_sink sink = hone_buffer_sink(message);
        return hone_fail(&sink, HONE_ERR_INTERNAL, "out of memory building an evaluate request");
    }
    json_t *response = NULL;
    hone_status status = hone_evaluate(host, request, &response, message);
    json_decref(request);
    if (status != HONE_OK) return status;

    const json_t *results = json_object_get(response, "results");
    if (json_array_size(results) != count) {
        json_decref(response);
        hone_buffer_clear(message);
        hone_sink sink = hone_buffer_sink(message);
        return hone_fail(&sink, HONE_ERR_INTERNAL, "host->evaluate answered %zu results for %zu prompts",
                         json_array_size(results), count);
    }
    int on_dev = strcmp(split, "dev") == 0;
    for (size_t i = 0; i < count; i++) {
        double score = json_number_value(json_object_get(json_array_get(results, i), "score"));
        if (on_dev) {
            candidates[i]->dev = score;
            candidates[i]->has_dev = 1;
        } else {
            candidates[i]->train = score;
        }
    }
    rs_budget_read(budget, json_object_get(response, "budget"));
    json_decref(response);
    return HONE_OK;
}

/** Maps a host status from evaluate to how the search ends: 1 = stop cleanly, 0 = a real failure. */
static int rs_is_clean_stop(hone_status status, rs_stop *stop) {
    if (status == HONE_ERR_BUDGET_EXHAUSTED) {
        *stop = RS_BUDGET;
        return 1;
    }
    if (status == HONE_ERR_CANCELLED) {
        *stop = RS_CANCELLED;
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------- */
/* run                                                                       */
/* ------------------------------------------------------------------------- */

/** Everything one run works with. Set up by rs_state_open, released by rs_state_close. */
typedef struct rs_state {
    const rs_instance *self;
    const hone_host *host;
    json_t *run;          /* the parsed run request (owned) */
    json_t *seed_prompt;  /* borrowed from run */
    json_t *train;        /* borrowed from run */
    size_t train_count;
    size_t dev_count;
    char **owned_words;   /* the vocabulary built from the train inputs, if not configured */
    size_t owned_count;
    char *const *vocabulary;
    size_t vocabulary_count;
    uint64_t seed;
    uint64_t rng;
    rs_budget budget;
    json_int_t reserve;      /* calls kept for the dev re-ranking */
    json_int_t search_calls; /* calls the rounds may spend, when the budget is limited */
    rs_candidate *top;       /* best distinct prompts on train, best first */
    size_t top_count;
    size_t top_capacity;
    rs_candidate *round;     /* the prompts of the current round */
    rs_candidate **refs;     /* the prompts of one evaluate request */
    json_t *curve;
    hone_buffer message;     /* the host's message when a call fails */
    long drawn;
    long rounds_done;
    long resumed_from;       /* rounds_done of the checkpoint the run continued from; 0 when fresh */
    size_t ranked;           /* prompts re-scored on dev */
    rs_stop stop;
} rs_state;

/** Releases everything rs_state_open acquired (also after it failed half-way). */
static void rs_state_close(rs_state *state) {
    for (size_t i = 0; i < state->top_count; i++) rs_candidate_clear(&state->top[i]);
    free(state->top);
    free(state->round);
    free(state->refs);
    json_decref(state->curve);
    hone_buffer_free(&state->message);
    for (size_t i = 0; i < state->owned_count; i++) free(state->owned_words[i]);
    free(state->owned_words);
    json_decref(state->run);
}

/** Reads the run request, builds the vocabulary, plans the budget and allocates the run's storage. */
static hone_status rs_state_open(rs_state *state, const rs_instance *self, const char *run_json, hone_sink *result) {
    memset(state, 0, sizeof *state);
    state->self = self;
    state->host = self->host;
    hone_buffer_init(&state->message);
    state->run = hone_json_parse(run_json, "run request", result);
    if (state->run == NULL) return HONE_ERR_INVALID_ARGUMENT;

    json_t *task = NULL, *dev = NULL, *budget = NULL, *seed = NULL;
    hone_status status = hone_unpack(state->run, result, "run request", "{s:o, s:o, s:o, s?o}", "task", &task,
                                     "seed_prompt", &state->seed_prompt, "budget", &budget, "seed", &seed);
    if (status == HONE_OK) {
        status = hone_unpack(task, result, "run request task", "{s:o, s?o}", "train", &state->train, "dev", &dev);
    }
    if (status != HONE_OK) return status;
    if (!json_is_array(state->train)) {
        return hone_fail(result, HONE_ERR_INVALID_ARGUMENT, "run request task.train: expected an array, got %s",
                         hone_json_type_name(state->train));
    }
    state->train_count = json_array_size(state->train);
    state->dev_count = json_is_array(dev) ? json_array_size(dev) : 0;
    if (state->train_count == 0) {
        return hone_fail(result, HONE_ERR_INVALID_ARGUMENT,
                         RS_PLUGIN_ID " needs training examples to score prompts on; the task's train split is "
                         "empty: check the pipeline's k-shot or split settings");
    }

    /* Vocabulary: from the config, or the words of the training inputs. */
    state->vocabulary = self->vocabulary;
    state->vocabulary_count = self->vocabulary_count;
    if (state->vocabulary == NULL) {
        status = rs_words_from_train(state->train, self->vocab_size, &state->owned_words, &state->owned_count, result);
        if (status != HONE_OK) return status;
        if (state->owned_count == 0) {
            return hone_fail(result, HONE_ERR_INVALID_ARGUMENT,
                             "the training inputs contain no words to draw prompt tokens from; set config.vocabulary");
        }
        state->vocabulary = state->owned_words;
        state->vocabulary_count = state->owned_count;
    }

    if (self->has_seed) {
        state->seed = self->seed;
    } else {
        state->seed = json_is_integer(seed) ? (uint64_t)json_integer_value(seed) : (uint64_t)json_number_value(seed);
    }
    state->rng = state->seed;

    /* Reserve what the dev re-ranking needs, but never so much that no prompt fits on train. */
    rs_budget_read(&state->budget, budget);
    state->reserve = (json_int_t)self->dev_top_k * (json_int_t)state->dev_count;
    if (state->budget.limited && state->reserve > state->budget.remaining - (json_int_t)state->train_count) {
        state->reserve = state->budget.remaining - (json_int_t)state->train_count;
        if (state->reserve < 0) state->reserve = 0;
    }
    state->search_calls = state->budget.limited ? state->budget.remaining - state->reserve : 0;

    size_t per_round = (size_t)self->candidates_per_round;
    state->top_capacity = self->dev_top_k > 0 ? (size_t)self->dev_top_k : 1;
    state->top = calloc(state->top_capacity, sizeof *state->top);
    state->round = calloc(per_round, sizeof *state->round);
    state->refs = calloc(per_round > state->top_capacity ? per_round : state->top_capacity, sizeof *state->refs);
    state->curve = json_array();
    if (state->top == NULL || state->round == NULL || state->refs == NULL || state->curve == NULL) {
        return hone_fail(result, HONE_ERR_INTERNAL, "out of memory starting " RS_PLUGIN_ID);
    }
    return HONE_OK;
}

/** Whether the host says to stop (cancelled, or the budget is spent). */
static int rs_host_says_stop(const hone_host *host) {
    return HONE_HOST_HAS(host, is_cancelled) && host->is_cancelled(host) != 0;
}

/** Reports progress after a round: the larger of the rounds done and the search budget spent. */
static void rs_report_progress(const rs_state *state) {
    const hone_host *host = state->host;
    if (!HONE_HOST_HAS(host, progress)) return;
    double fraction = (double)state->rounds_done / (double)state->self->rounds;
    if (state->budget.limited && state->search_calls > 0) {
        double spent = 1.0 - (double)(state->budget.remaining - state->reserve) / (double)state->search_calls;
        if (spent > fraction) fraction = spent;
    }
    if (fraction > 1.0) fraction = 1.0;
    char line[160];
    snprintf(line, sizeof line, "round %ld: best train %.4f, %ld prompts tried", state->rounds_done,
             state->top[0].train, state->drawn);
    host->progress(host, fraction, line);
}

/* ------------------------------------------------------------------------- */
/* Checkpoints                                                               */
/* ------------------------------------------------------------------------- */

/** Version of the checkpoint document; a checkpoint of another format is ignored. */
#define RS_CHECKPOINT_FORMAT 1

/** FNV-1a (64 bits) of the vocabulary's tokens joined with "\n": names the vocabulary in a checkpoint. */
static uint64_t rs_vocabulary_hash(char *const *vocabulary, size_t count) {
    const uint64_t prime = 0x100000001B3ULL;
    uint64_t hash = 0xCBF29CE484222325ULL;
    for (size_t i = 0; i < count; i++) {
        if (i > 0) hash = (hash ^ (unsigned char)'\n') * prime;
        for (const unsigned char *p = (const unsigned char *)vocabulary[i]; *p != '\0'; p++) hash = (hash ^ *p) * prime;
    }
    return hash;
}

/**
 * The settings a checkpoint is only valid for: the seed, the shape of the
 * search and the vocabulary. New reference, or NULL when out of memory.
 */
static json_t *rs_fingerprint(const rs_state *state) {
    char hash[17];
    snprintf(hash, sizeof hash, "%016" PRIx64, rs_vocabulary_hash(state->vocabulary, state->vocabulary_count));
    return json_pack("{s:I, s:i, s:i, s:i, s:I, s:s}", "seed", (json_int_t)state->seed, "prompt_length",
                     state->self->prompt_length, "candidates_per_round", state->self->candidates_per_round, "dev_top_k",
                     state->self->dev_top_k, "vocabulary_count", (json_int_t)state->vocabulary_count, "vocabulary_hash",
                     hash);
}

/**
 * The checkpoint document of the search so far. `rng` is a decimal string, as
 * JSON numbers lose precision above 2^53. New reference, or NULL when out of memory.
 */
static json_t *rs_checkpoint_document(const rs_state *state) {
    char rng[24];
    snprintf(rng, sizeof rng, "%" PRIu64, state->rng);
    json_t *top = json_array();
    for (size_t i = 0; top != NULL && i < state->top_count; i++) {
        const rs_candidate *candidate = &state->top[i];
        json_t *token_ids = json_array();
        for (int t = 0; token_ids != NULL && t < state->self->prompt_length; t++) {
            if (json_array_append_new(token_ids, json_integer((json_int_t)candidate->tokens[t])) != 0) {
                json_decref(token_ids);
                token_ids = NULL;
            }
        }
        json_t *entry = json_pack("{s:o, s:f, s:I}", "token_ids", token_ids, "train", candidate->train, "order",
                                  (json_int_t)candidate->order);
        if (json_array_append_new(top, entry) != 0) {
            json_decref(top);
            top = NULL;
        }
    }
    /* The budget plan of the first attempt, so a resumed run keeps the same dev reserve. */
    return json_pack("{s:i, s:o, s:s, s:I, s:I, s:o, s:O, s:{s:I, s:I}}", "format", RS_CHECKPOINT_FORMAT, "fingerprint",
                     rs_fingerprint(state), "rng", rng, "drawn", (json_int_t)state->drawn, "rounds_done",
                     (json_int_t)state->rounds_done, "top", top, "curve", state->curve, "budget_plan", "reserve",
                     state->reserve, "search_calls", state->search_calls);
}

/**
 * Saves the search so far through host->checkpoint_save, when the host has it.
 * A checkpoint that cannot be saved is logged as a warning and never ends the run.
 */
static void rs_checkpoint_save(const rs_state *state) {
    const hone_host *host = state->host;
    if (!HONE_HOST_HAS(host, checkpoint_save)) return;
    json_t *document = rs_checkpoint_document(state);
    char *text = document != NULL ? json_dumps(document, JSON_COMPACT) : NULL;
    hone_status status = text != NULL ? host->checkpoint_save(host, text) : HONE_ERR_INTERNAL;
    if (status != HONE_OK) {
        hone_logf(host, HONE_LOG_WARNING,
                  "the checkpoint after round %ld was not saved (%s); if this run stops, hone resume repeats the "
                  "rounds since the last checkpoint that was saved",
                  state->rounds_done, text == NULL ? "out of memory" : hone_status_name(status));
    }
    free(text);
    json_decref(document);
}

/** A short text of `value` for a message: its JSON, cut to fit `size` bytes; "nothing" for NULL. */
static const char *rs_json_brief(const json_t *value, char *buffer, size_t size) {
    if (value == NULL) return "nothing";
    size_t length = json_dumpb(value, buffer, size - 1, JSON_COMPACT | JSON_ENCODE_ANY);
    if (length > size - 1) {
        length = size - 1;
        memcpy(buffer + length - 3, "...", 3);
    }
    buffer[length] = '\0';
    return buffer;
}

/** Reads a non-negative decimal integer that fits 64 bits; returns 0 for anything else. */
static int rs_parse_u64(const char *text, uint64_t *out) {
    if (text == NULL || *text == '\0') return 0;
    uint64_t value = 0;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p < '0' || *p > '9') return 0;
        uint64_t digit = (uint64_t)(*p - '0');
        if (value > (UINT64_MAX - digit) / 10) return 0;
        value = value * 10 + digit;
    }
    *out = value;
    return 1;
}

/**
 * Checks that the checkpoint was made by this plugin's format with the settings
 * of this run. Returns HONE_OK, or HONE_ERR_INVALID_ARGUMENT with the first
 * difference in `why`.
 */
static hone_status rs_checkpoint_check(const rs_state *state, json_t *document, hone_sink *why) {
    char brief[96], other[96];
    if (!json_is_object(document)) {
        return hone_fail(why, HONE_ERR_INVALID_ARGUMENT, "it is damaged: expected an object, got %s", hone_json_type_name(document));
    }
    const json_t *format = json_object_get(document, "format");
    if (!json_is_integer(format) || json_integer_value(format) != RS_CHECKPOINT_FORMAT) {
        return hone_fail(why, HONE_ERR_INVALID_ARGUMENT, "its format is %s; this plugin reads format %d",
                         rs_json_brief(format, brief, sizeof brief), RS_CHECKPOINT_FORMAT);
    }
    const json_t *stored = json_object_get(document, "fingerprint");
    json_t *expected = rs_fingerprint(state);
    if (expected == NULL) return hone_fail(why, HONE_ERR_INTERNAL, "out of memory checking it");
    hone_status status = HONE_OK;
    const char *key;
    json_t *value;
    json_object_foreach(expected, key, value) {
        const json_t *found = json_object_get(stored, key);
        if (found == NULL || !json_equal(found, value)) {
            status = hone_fail(why, HONE_ERR_INVALID_ARGUMENT,
                               "it was made with other settings: fingerprint.%s is %s in the checkpoint but %s in "
                               "this run",
                               key, rs_json_brief(found, brief, sizeof brief), rs_json_brief(value, other, sizeof other));
            break;
        }
    }
    json_decref(expected);
    return status;
}

/**
 * Rebuilds the top list from the checkpoint's "top" entries into the empty
 * state->top. Returns HONE_OK, or HONE_ERR_INVALID_ARGUMENT (or
 * HONE_ERR_INTERNAL) with the reason in `why`; on failure the top list is empty again.
 */
static hone_status rs_restore_top(rs_state *state, json_t *top, json_int_t drawn, hone_sink *why) {
    const int length = state->self->prompt_length;
    hone_status status = HONE_OK;
    char brief[48];
    if (json_array_size(top) > state->top_capacity) {
        return hone_fail(why, HONE_ERR_INVALID_ARGUMENT, "it is damaged: it keeps %zu top prompts; dev_top_k allows %zu",
                         json_array_size(top), state->top_capacity);
    }
    size_t index;
    json_t *entry;
    json_array_foreach(top, index, entry) {
        json_t *token_ids = NULL;
        double train = 0;
        json_int_t order = 0;
        status = hone_unpack(entry, why, "it is damaged: a top entry", "{s:o, s:F, s:I}", "token_ids", &token_ids, "train",
                             &train, "order", &order);
        if (status != HONE_OK) break;
        if (json_array_size(token_ids) != (size_t)length || order < 0 || order >= drawn) {
            status = hone_fail(why, HONE_ERR_INVALID_ARGUMENT,
                               "it is damaged: top[%zu] needs %d token ids and an order from 0 to %lld (it has %zu and %lld)", index,
                               length, (long long)drawn - 1, json_array_size(token_ids), (long long)order);
            break;
        }
        rs_candidate *candidate = &state->top[index];
        candidate->tokens = malloc((size_t)length * sizeof(size_t));
        if (candidate->tokens == NULL) {
            status = hone_fail(why, HONE_ERR_INTERNAL, "out of memory restoring it");
            break;
        }
        state->top_count = index + 1;
        for (int t = 0; t < length && status == HONE_OK; t++) {
            const json_t *id = json_array_get(token_ids, (size_t)t);
            json_int_t value = json_is_integer(id) ? json_integer_value(id) : -1;
            if (value < 0 || value >= (json_int_t)state->vocabulary_count) {
                status = hone_fail(why, HONE_ERR_INVALID_ARGUMENT,
                                   "it is damaged: top[%zu].token_ids[%d] is %s, not a token of the %zu-word vocabulary", index, t,
                                   rs_json_brief(id, brief, sizeof brief), state->vocabulary_count);
            } else {
                candidate->tokens[t] = (size_t)value;
            }
        }
        if (status != HONE_OK) break;
        if (!rs_join_tokens(candidate, state->vocabulary, length)) {
            status = hone_fail(why, HONE_ERR_INTERNAL, "out of memory restoring it");
            break;
        }
        candidate->train = train;
        candidate->order = (long)order;
        if (index > 0 && !rs_better_on_train(&state->top[index - 1], candidate)) {
            status = hone_fail(why, HONE_ERR_INVALID_ARGUMENT, "it is damaged: its top list is not in rank order at top[%zu]", index);
            break;
        }
    }
    if (status != HONE_OK) {
        for (size_t i = 0; i < state->top_count; i++) rs_candidate_clear(&state->top[i]);
        state->top_count = 0;
    }
    return status;
}

/**
 * Restores the search from a checkpoint `document` made with this run's
 * settings. Called before the first round, on a state with nothing drawn.
 * Returns HONE_OK, or another status with why the checkpoint cannot be used
 * in `why`; the state is then unchanged.
 */
static hone_status rs_checkpoint_restore(rs_state *state, json_t *document, hone_sink *why) {
    hone_status status = rs_checkpoint_check(state, document, why);
    if (status != HONE_OK) return status;
    const char *rng_text = NULL;
    json_int_t drawn = 0, rounds_done = 0, reserve = 0, search_calls = 0;
    json_t *top = NULL, *curve = NULL;
    status = hone_unpack(document, why, "it is damaged", "{s:s, s:I, s:I, s:o, s:o, s:{s:I, s:I}}", "rng", &rng_text,
                         "drawn", &drawn, "rounds_done", &rounds_done, "top", &top, "curve", &curve, "budget_plan",
                         "reserve", &reserve, "search_calls", &search_calls);
    if (status != HONE_OK) return status;
    uint64_t rng = 0;
    if (!rs_parse_u64(rng_text, &rng)) {
        return hone_fail(why, HONE_ERR_INVALID_ARGUMENT, "it is damaged: its rng \"%s\" is not a decimal 64-bit integer", rng_text);
    }
    if (drawn < 0 || drawn > (json_int_t)LONG_MAX || rounds_done < 0 || rounds_done > (json_int_t)LONG_MAX ||
        reserve < 0 || search_calls < 0) {
        return hone_fail(why, HONE_ERR_INVALID_ARGUMENT,
                         "it is damaged: drawn, rounds_done and budget_plan must not be negative (they are %lld, %lld, %lld, %lld)",
                         (long long)drawn, (long long)rounds_done, (long long)reserve, (long long)search_calls);
    }
    if (!json_is_array(top) || !json_is_array(curve)) {
        return hone_fail(why, HONE_ERR_INVALID_ARGUMENT, "it is damaged: its top and curve must be arrays (they are %s and %s)",
                         hone_json_type_name(top), hone_json_type_name(curve));
    }
    status = rs_restore_top(state, top, drawn, why);
    if (status != HONE_OK) return status;
    state->rng = rng;
    state->drawn = (long)drawn;
    state->rounds_done = (long)rounds_done;
    state->reserve = reserve;
    state->search_calls = search_calls;
    json_decref(state->curve);
    state->curve = json_incref(curve);
    return HONE_OK;
}

/**
 * Continues from the stage's checkpoint when the host has one made with this
 * run's settings. With none the search starts afresh; with one that cannot be
 * used (other settings, another format, damaged) too, after a warning that
 * says why. Never fails the run.
 */
static void rs_resume(rs_state *state) {
    const hone_host *host = state->host;
    if (!HONE_HOST_HAS(host, checkpoint_load)) return;
    hone_buffer text, why;
    hone_buffer_init(&text);
    hone_buffer_init(&why);
    hone_sink text_sink = hone_buffer_sink(&text);
    hone_sink why_sink = hone_buffer_sink(&why);
    hone_status status = host->checkpoint_load(host, &text_sink);
    if (status == HONE_OK && text.failed) {
        status = hone_fail(&why_sink, HONE_ERR_INTERNAL, "out of memory reading it");
    } else if (status == HONE_OK) {
        json_t *document = hone_json_parse(hone_buffer_cstr(&text), "it is damaged", &why_sink);
        status = document != NULL ? rs_checkpoint_restore(state, document, &why_sink) : HONE_ERR_INVALID_ARGUMENT;
        json_decref(document);
    } else if (status != HONE_ERR_NOT_FOUND) {
        hone_sink_printf(&why_sink, "host->checkpoint_load answered %s", hone_status_name(status));
    }
    if (status == HONE_OK) {
        state->resumed_from = state->rounds_done;
        hone_logf(host, HONE_LOG_INFO, "resuming from round %ld: %ld prompts tried, best train %.4f", state->rounds_done,
                  state->drawn, state->top_count > 0 ? state->top[0].train : 0.0);
    } else if (status != HONE_ERR_NOT_FOUND) {
        hone_logf(host, HONE_LOG_WARNING, "ignoring the stage's checkpoint and starting the search afresh: %s",
                  hone_buffer_cstr(&why));
    }
    hone_buffer_free(&text);
    hone_buffer_free(&why);
}

/**
 * The rounds: draw, score on train, keep the best, and save a checkpoint
 * every `checkpoint_every` rounds. Starts after the rounds a checkpoint
 * restored. Ends after `rounds`, or cleanly (HONE_OK, state->stop says why)
 * when the budget or a cancellation ends it. Any other failure is reported
 * into `result`.
 */
static hone_status rs_search(rs_state *state, hone_sink *result) {
    const rs_instance *self = state->self;
    for (long r = state->rounds_done; r < self->rounds; r++) {
        if (rs_host_says_stop(state->host)) {
            state->stop = state->budget.limited && state->budget.remaining <= 0 ? RS_BUDGET : RS_CANCELLED;
            return HONE_OK;
        }
        size_t n = (size_t)self->candidates_per_round;
        if (state->budget.limited) {
            /* Shrink the round to what the budget left for searching can cover. */
            json_int_t affordable = (state->budget.remaining - state->reserve) / (json_int_t)state->train_count;
            if (affordable <= 0) {
                state->stop = RS_BUDGET;
                return HONE_OK;
            }
            if ((json_int_t)n > affordable) n = (size_t)affordable;
        }
        for (size_t i = 0; i < n; i++) {
            if (!rs_draw(&state->round[i], &state->rng, state->vocabulary, state->vocabulary_count,
                         self->prompt_length, state->drawn++)) {
                for (size_t j = 0; j < i; j++) rs_candidate_clear(&state->round[j]);
                return hone_fail(result, HONE_ERR_INTERNAL, "out of memory drawing candidates");
            }
            state->refs[i] = &state->round[i];
        }
        hone_status status = rs_score(state->host, state->refs, n, "train", &state->budget, &state->message);
        if (status != HONE_OK) {
            for (size_t i = 0; i < n; i++) rs_candidate_clear(&state->round[i]);
            if (rs_is_clean_stop(status, &state->stop)) return HONE_OK;
            return hone_fail(result, status, "evaluating round %ld on train: %s", r + 1,
                             hone_buffer_cstr(&state->message));
        }
        double round_best = state->round[0].train, round_sum = 0;
        for (size_t i = 0; i < n; i++) {
            if (state->round[i].train > round_best) round_best = state->round[i].train;
            round_sum += state->round[i].train;
            rs_offer(state->top, &state->top_count, state->top_capacity, &state->round[i]);
        }
        state->rounds_done = r + 1;
        json_t *point = json_pack("{s:I, s:I, s:I, s:f, s:f, s:f}", "step", (json_int_t)state->rounds_done, "calls",
                                  state->budget.used, "candidates", (json_int_t)n, "round_best_train", round_best,
                                  "round_mean_train", round_sum / (double)n, "best_train", state->top[0].train);
        if (point != NULL) json_array_append_new(state->curve, point);
        if (self->checkpoint_every > 0 && state->rounds_done % self->checkpoint_every == 0) rs_checkpoint_save(state);
        rs_report_progress(state);
    }
    return HONE_OK;
}

/** Scores the kept prompts on dev, as far as the budget and cancellation allow. */
static hone_status rs_rerank_on_dev(rs_state *state, hone_sink *result) {
    if (state->top_count == 0 || state->self->dev_top_k == 0 || state->dev_count == 0) return HONE_OK;
    if (state->stop == RS_CANCELLED || rs_host_says_stop(state->host)) return HONE_OK;
    size_t ranked = state->top_count;
    if (state->budget.limited) {
        json_int_t affordable = state->budget.remaining / (json_int_t)state->dev_count;
        if ((json_int_t)ranked > affordable) ranked = affordable > 0 ? (size_t)affordable : 0;
    }
    if (ranked == 0) return HONE_OK;
    for (size_t i = 0; i < ranked; i++) state->refs[i] = &state->top[i];
    hone_status status = rs_score(state->host, state->refs, ranked, "dev", &state->budget, &state->message);
    if (status == HONE_OK) {
        state->ranked = ranked;
        return HONE_OK;
    }
    if (rs_is_clean_stop(status, &state->stop)) return HONE_OK;
    return hone_fail(result, status, "re-ranking %zu prompts on dev: %s", ranked, hone_buffer_cstr(&state->message));
}

/** Combined train+dev score: the mean over the pooled examples of both splits. */
static double rs_combined(const rs_candidate *candidate, size_t train_count, size_t dev_count) {
    if (!candidate->has_dev || dev_count == 0) return candidate->train;
    return (candidate->train * (double)train_count + candidate->dev * (double)dev_count) /
           (double)(train_count + dev_count);
}

/** The winner: best on train+dev among the re-ranked, else best on train; NULL if nothing was scored. */
static const rs_candidate *rs_pick_best(const rs_state *state) {
    if (state->top_count == 0) return NULL;
    const rs_candidate *best = &state->top[0];
    for (size_t i = 1; i < state->ranked; i++) {
        if (rs_combined(&state->top[i], state->train_count, state->dev_count) >
            rs_combined(best, state->train_count, state->dev_count)) {
            best = &state->top[i];
        }
    }
    return best;
}

/** The prompt artifact of `best`, or a copy of the seed prompt when nothing could be scored. New reference. */
static json_t *rs_best_prompt(const rs_state *state, const rs_candidate *best) {
    if (best == NULL) {
        return json_is_string(state->seed_prompt) ? json_pack("{s:O}", "text", state->seed_prompt)
                                                  : json_deep_copy(state->seed_prompt);
    }
    json_t *token_ids = json_array();
    json_t *tokens = json_array();
    for (int i = 0; i < state->self->prompt_length; i++) {
        json_array_append_new(token_ids, json_integer((json_int_t)best->tokens[i]));
        json_array_append_new(tokens, json_string(state->vocabulary[best->tokens[i]]));
    }
    json_t *data = json_pack("{s:o, s:o, s:f}", "token_ids", token_ids, "tokens", tokens, "train_score", best->train);
    if (data != NULL && best->has_dev) json_object_set_new(data, "dev_score", json_real(best->dev));
    return json_pack("{s:s, s:s, s:o}", "text", best->text, "method", RS_PLUGIN_ID, "data", data);
}

/** The facts of the run for the result's summary. New reference. */
static json_t *rs_summary(const rs_state *state, const rs_candidate *best) {
    json_t *summary = json_pack(
        "{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "stopped", rs_stop_name(state->stop), "rounds_completed",
        (json_int_t)state->rounds_done, "prompts_evaluated", (json_int_t)state->drawn, "dev_reranked",
        (json_int_t)state->ranked, "vocabulary_size", (json_int_t)state->vocabulary_count, "prompt_length",
        (json_int_t)state->self->prompt_length, "seed", (json_int_t)state->seed, "calls_used", state->budget.used,
        "resumed_from_round", (json_int_t)state->resumed_from);
    if (summary != NULL && best != NULL) {
        json_object_set_new(summary, "best_train", json_real(best->train));
        if (best->has_dev) {
            json_object_set_new(summary, "best_dev", json_real(best->dev));
            json_object_set_new(summary, "best_train_dev", json_real(rs_combined(best, state->train_count, state->dev_count)));
        }
    }
    return summary;
}

/** The vtable's run: open the state, resume from a checkpoint if any, search, re-rank, answer. */
static hone_status rs_run(void *instance, const char *run_json, hone_sink *result) {
    const rs_instance *self = instance;
    rs_state state;
    hone_status status = rs_state_open(&state, self, run_json, result);
    if (status == HONE_OK) {
        rs_resume(&state);
        hone_logf(self->host, HONE_LOG_INFO, "%zu-word vocabulary, %d tokens per prompt, up to %ld rounds of %d",
                  state.vocabulary_count, self->prompt_length, self->rounds, self->candidates_per_round);
        status = rs_search(&state, result);
    }
    if (status == HONE_OK) status = rs_rerank_on_dev(&state, result);
    if (status == HONE_OK) {
        const rs_candidate *best = rs_pick_best(&state);
        if (best != NULL) {
            if (HONE_HOST_HAS(self->host, progress)) self->host->progress(self->host, 1.0, "done");
            hone_logf(self->host, HONE_LOG_INFO, "best \"%s\" (train %.4f%s) after %ld prompts, stopped: %s",
                      best->text, best->train, best->has_dev ? ", re-ranked on dev" : "", state.drawn,
                      rs_stop_name(state.stop));
        } else {
            hone_logf(self->host, HONE_LOG_WARNING,
                      "no prompt could be evaluated (stopped: %s); returning the seed prompt", rs_stop_name(state.stop));
        }
        json_t *document = json_pack("{s:o, s:o, s:O}", "best_prompt", rs_best_prompt(&state, best), "summary",
                                     rs_summary(&state, best), "curve", state.curve);
        status = document != NULL ? hone_sink_write_json(result, document)
                                  : hone_fail(result, HONE_ERR_INTERNAL, "out of memory building the result");
        json_decref(document);
    }
    rs_state_close(&state);
    return status;
}

/* ------------------------------------------------------------------------- */
/* Descriptor, library table, entry                                          */
/* ------------------------------------------------------------------------- */

static const hone_optimizer_vtable rs_vtable = {
    sizeof(hone_optimizer_vtable),
    rs_create,
    rs_run,
    rs_destroy,
    NULL, /* get_extension (ABI 1.1): random search offers no extensions */
};

static const hone_plugin_descriptor rs_descriptor = {
    sizeof(hone_plugin_descriptor),
    HONE_KIND_OPTIMIZER,
    RS_PLUGIN_ID,
    RS_PLUGIN_NAME,
    "1.0.0",
    RS_PLUGIN_DESCRIPTION,
    rs_config_schema,
    rs_capabilities,
    "c",
    &rs_vtable,
    NULL,
};

static const hone_plugin_descriptor *const rs_plugins[] = {&rs_descriptor};

static const hone_plugin_library rs_library = {
    HONE_PLUGIN_MAGIC, sizeof(hone_plugin_library), HONE_ABI_VERSION_MAJOR, HONE_ABI_VERSION_MINOR, 1, rs_plugins,
};

HONE_EXPORT const hone_plugin_library *hone_plugin_entry_v1(void) {
    return &rs_library;
}
