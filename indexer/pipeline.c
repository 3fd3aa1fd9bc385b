/*
 * pipeline.c - the work on each file of a list in turn: prepared (prepare.c), then stored
 * (store.c), in list order.
 *
 * Design. imr_indexer_add_file() prepares a file and stores it in the calling thread.
 * imr_indexer_add_list() prepares up to N_SLOTS files ahead in a second thread while the
 * calling thread stores them in list order, so its results equal one thread's: the preparing
 * thread writes nothing and has its own read-only connection (to skip the parse of a file whose
 * bytes are indexed), its own tokenizer (the letters' texts tokenized ahead, which the
 * writer's tokenizer replays) and its own PDF pool. What the prepared files hold is bounded by
 * bytes too (options.read_ahead: see struct pipeline). When the second thread cannot be
 * started, the calling thread prepares each file itself.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "imr.h"
#include "imr_schema.h"
#include "pdf.h"
#include "prepare.h"
#include "store.h"
#include "tokenizer.h"

/* Slots of prepared files between the preparing thread and the writing one. */
#define N_SLOTS 32
/*
 * A preparing thread that found every slot full waits until this many are free again, and a
 * writer that found none filled waits until this many are (or the list's end): whichever
 * thread is ahead sleeps and wakes once per REFILL_SLOTS files instead of once per file.
 */
#define REFILL_SLOTS (N_SLOTS / 2)

/*
 * The bytes the prepared files may hold (options.read_ahead). A slot whose buffers outgrow
 * its share of them, read_ahead / N_SLOTS, frees them once its file is written.
 */
static uint64_t read_ahead(const imr_indexer_t *ix)
{
    return ix->opt.read_ahead ? ix->opt.read_ahead : (uint64_t)IMR_READ_AHEAD_MB << 20;
}

/* Prepares the file at `path` into p in the writing thread (no lookup, no tokens ahead). */
static void prepare_here(imr_indexer_t *ix, imr__prep_t *p, const char *path)
{
    if (imr__prep_start(p, path, NULL))
        imr__prep_finish(p, path, ix->pdf, NULL);
}

imr_status_t imr_indexer_add_file(imr_indexer_t *ix, const char *path, imr_file_result_t *res,
                                  imr_error_t *err)
{
    imr_file_result_t local;
    if (ix->failed)
        return imr_error_set(err, IMR_ERR_INTERNAL, "the indexer failed before; nothing more");
    prepare_here(ix, &ix->prep, path);
    imr_status_t st = imr__store_prepared(ix, path, &ix->prep, res ? res : &local, err);
    imr__prep_release(&ix->prep, read_ahead(ix) / N_SLOTS);
    return st;
}

/*
 * The pipeline of imr_indexer_add_list(). Each side signals the other only when that one is
 * waiting (prep_waiting, writer_waiting), so a run where the preparing thread stays ahead
 * takes the mutex twice per file and makes no system call for it.
 *
 * It is bounded by bytes as well as by slots: the preparing thread starts no file while the
 * slots hold more than `bound` bytes and the writer has a prepared file to write (which frees
 * bytes), so the slots hold at most the bound plus what the files started since the last check
 * hold (one file finished, at most `ahead` started: docs/reliability.md). Whenever it waits, it
 * wakes a waiting writer first, so that what is ready gets written: the writer otherwise sleeps
 * until REFILL_SLOTS files are ready, which bytes may never allow. So it does before it waits
 * for a PDF's text, which can take the extraction's whole deadline: the files ready before a
 * hanging PDF are written (and committed) meanwhile, not after it.
 */
struct pipeline {
    const imr_file_list_t *list;
    sqlite3 *reader;     /* the preparing thread's read-only connection, or NULL */
    sqlite3_stmt *known; /* SELECT hash FROM letter WHERE name = ?1 on reader */
    imr__tok_t *tok;     /* the preparing thread's tokenizer, or NULL (the writer tokenizes) */
    imr__pdf_pool_t *pdf; /* the preparing thread's PDF extractions */
    size_t ahead;         /* files started ahead of the one being finished, at most */
    imr__prep_t slot[N_SLOTS];
    char path[N_SLOTS][IMR_FILE_PATH_MAX]; /* path[i % N_SLOTS]: file i's, for slot i */
    uint64_t slot_bytes[N_SLOTS]; /* what each slot held when last counted (count_slot) */
    uint64_t held;       /* the sum of slot_bytes */
    uint64_t peak;       /* the most held at once */
    uint64_t bound;      /* read_ahead(): see above */
    pthread_mutex_t mu;
    pthread_cond_t filled_cv, freed_cv;
    size_t filled;      /* files prepared so far (slot i % N_SLOTS holds file i) */
    size_t consumed;    /* files written so far */
    size_t want;        /* the furthest file the waiting preparing thread is to start */
    int stop;           /* the writer stopped: the preparing thread ends */
    int prep_waiting;   /* the preparing thread waits on freed_cv */
    int writer_waiting; /* the writing thread waits on filled_cv */
};

/* Counts again the bytes slot k holds (with the mutex held, when there is a second thread). */
static void count_slot(struct pipeline *pl, size_t k)
{
    uint64_t b = imr__prep_bytes(&pl->slot[k]);
    pl->held = pl->held - pl->slot_bytes[k] + b;
    pl->slot_bytes[k] = b;
    if (pl->held > pl->peak)
        pl->peak = pl->held;
}

/* The slots hold more than the bound, and the writer has a file to write (mutex held). */
static int over_bound(const struct pipeline *pl)
{
    return pl->held > pl->bound && pl->consumed < pl->filled;
}

/* May the preparing thread, waiting to start files up to pl->want, go on? (mutex held) */
static int prep_may_go(const struct pipeline *pl)
{
    return pl->stop || (pl->want - pl->consumed <= N_SLOTS - REFILL_SLOTS && !over_bound(pl));
}

/* Wakes a waiting writer when a prepared file waits to be written. */
static void wake_writer(struct pipeline *pl)
{
    pthread_mutex_lock(&pl->mu);
    if (pl->writer_waiting && pl->filled > pl->consumed)
        pthread_cond_signal(&pl->filled_cv);
    pthread_mutex_unlock(&pl->mu);
}

/* Starts extractions for files [from, to) of the pipeline while its pool has room. */
static void launch(struct pipeline *pl, size_t from, size_t to, const unsigned char *todo)
{
    for (size_t k = from; k < to && imr__pdf_pool_free_jobs(pl->pdf) > 0; k++)
        if (todo[k % N_SLOTS])
            imr__prep_launch(&pl->slot[k % N_SLOTS], pl->pdf);
}

/*
 * The preparing thread: prepares every file of the list in order, N_SLOTS ahead at most. It
 * reads files up to pl->ahead ahead of the one it finishes, but none beyond that one while the
 * slots are over the bound, and keeps the pool's workers busy with their PDFs: a worker done
 * with this file's PDF gets the next one before this file is parsed.
 */
static void *prepare_all(void *arg)
{
    struct pipeline *pl = arg;
    size_t n = imr_file_list_count(pl->list), started = 0;
    unsigned char todo[N_SLOTS]; /* todo[i % N_SLOTS]: file i needs imr__prep_finish() */
    for (size_t i = 0; i < n; i++) {
        size_t last = i + pl->ahead - 1; /* the furthest file started below */
        pthread_mutex_lock(&pl->mu);
        if (!pl->stop && (last - pl->consumed >= N_SLOTS || over_bound(pl))) {
            pl->want = last;
            pl->prep_waiting = 1;
            if (pl->writer_waiting)
                pthread_cond_signal(&pl->filled_cv);
            while (!prep_may_go(pl))
                pthread_cond_wait(&pl->freed_cv, &pl->mu);
            pl->prep_waiting = 0;
        }
        int stop = pl->stop;
        pthread_mutex_unlock(&pl->mu);
        if (stop)
            break;
        for (; started < n && started <= last; started++) {
            size_t k = started % N_SLOTS;
            pthread_mutex_lock(&pl->mu);
            int full = started > i && pl->held > pl->bound;
            pthread_mutex_unlock(&pl->mu);
            if (full)
                break;
            imr_file_list_path(pl->list, started, pl->path[k], IMR_FILE_PATH_MAX);
            todo[k] = (unsigned char)imr__prep_start(&pl->slot[k], pl->path[k], pl->known);
            pthread_mutex_lock(&pl->mu);
            count_slot(pl, k);
            pthread_mutex_unlock(&pl->mu);
        }
        launch(pl, i, started, todo);
        size_t k = i % N_SLOTS;
        if (todo[k]) {
            if (pl->slot[k].pdf) /* its text may take the extraction's deadline */
                wake_writer(pl);
            imr__prep_extract(&pl->slot[k], pl->path[k], pl->pdf);
            launch(pl, i + 1, started, todo);
            imr__prep_finish(&pl->slot[k], pl->path[k], pl->pdf, pl->tok);
        }
        pthread_mutex_lock(&pl->mu);
        count_slot(pl, k);
        pl->filled = i + 1;
        if (pl->writer_waiting && (pl->filled - pl->consumed >= REFILL_SLOTS || pl->filled == n))
            pthread_cond_signal(&pl->filled_cv);
        pthread_mutex_unlock(&pl->mu);
    }
    return NULL;
}

/* Opens the preparing thread's connection; on any failure leaves none (it then parses all). */
static void open_reader(imr_indexer_t *ix, struct pipeline *pl)
{
    if (sqlite3_open_v2(imr_db_filename(ix->db), &pl->reader,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
        imr_tokenizer_register(pl->reader, NULL) == IMR_OK &&
        sqlite3_prepare_v2(pl->reader, "SELECT hash FROM " IMR_TABLE_LETTER " WHERE name = ?1", -1,
                           &pl->known, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(pl->reader, 1000);
        return;
    }
    sqlite3_finalize(pl->known);
    sqlite3_close(pl->reader);
    pl->known = NULL;
    pl->reader = NULL;
}

imr_status_t imr_indexer_add_list(imr_indexer_t *ix, const imr_file_list_t *list,
                                  imr_file_done_fn done, void *ctx, imr_error_t *err)
{
    if (ix->failed)
        return imr_error_set(err, IMR_ERR_INTERNAL, "the indexer failed before; nothing more");
    size_t n = imr_file_list_count(list);
    struct pipeline *pl = calloc(1, sizeof *pl);
    if (!pl)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    pl->list = list;
    pl->bound = read_ahead(ix);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t jobs = ix->opt.pdf_jobs ? ix->opt.pdf_jobs : cores > 0 ? (size_t)cores : 1;
    if (jobs > IMR__PDF_MAX_JOBS)
        jobs = IMR__PDF_MAX_JOBS;
    pl->ahead = jobs + 1; /* one file more than the workers: read while they extract */
    imr__pdf_limits_t lim = imr__prep_pdf_limits(&ix->opt);
    if (imr__pdf_pool_new(&lim, (unsigned)jobs, &pl->pdf, err) != IMR_OK) {
        free(pl);
        return IMR_ERR_NOMEM;
    }
    /* Without a letter in the database no file can be unchanged: nothing to look up. */
    if (imr__indexer_has_letters(ix))
        open_reader(ix, pl);
    if (ix->tok_shared && imr__tok_new_default(&pl->tok) != SQLITE_OK)
        pl->tok = NULL;
    pthread_t thread;
    int threaded = pthread_mutex_init(&pl->mu, NULL) == 0;
    if (threaded && pthread_cond_init(&pl->filled_cv, NULL) != 0) {
        pthread_mutex_destroy(&pl->mu);
        threaded = 0;
    }
    if (threaded && pthread_cond_init(&pl->freed_cv, NULL) != 0) {
        pthread_cond_destroy(&pl->filled_cv);
        pthread_mutex_destroy(&pl->mu);
        threaded = 0;
    }
    if (threaded && pthread_create(&thread, NULL, prepare_all, pl) != 0) {
        pthread_cond_destroy(&pl->freed_cv);
        pthread_cond_destroy(&pl->filled_cv);
        pthread_mutex_destroy(&pl->mu);
        threaded = 0;
    }

    imr_status_t st = IMR_OK;
    for (size_t i = 0; i < n && st == IMR_OK; i++) {
        size_t k = i % N_SLOTS;
        char *path = pl->path[k];
        imr__prep_t *p = &pl->slot[k];
        if (threaded) {
            pthread_mutex_lock(&pl->mu);
            if (pl->filled <= i) {
                pl->writer_waiting = 1;
                while (pl->filled <= i)
                    pthread_cond_wait(&pl->filled_cv, &pl->mu);
                pl->writer_waiting = 0;
            }
            pthread_mutex_unlock(&pl->mu);
        } else {
            imr_file_list_path(list, i, path, IMR_FILE_PATH_MAX);
            prepare_here(ix, p, path);
            count_slot(pl, k);
        }
        imr_file_result_t res;
        st = imr__store_prepared(ix, path, p, &res, err);
        imr__prep_release(p, pl->bound / N_SLOTS);
        int stop = st == IMR_OK && done && done(i, path, &res, ctx) != 0;
        if (threaded) {
            pthread_mutex_lock(&pl->mu);
            count_slot(pl, k);
            pl->consumed = i + 1;
            pl->stop = stop || st != IMR_OK;
            if (pl->prep_waiting && prep_may_go(pl))
                pthread_cond_signal(&pl->freed_cv);
            pthread_mutex_unlock(&pl->mu);
        } else {
            count_slot(pl, k);
        }
        if (stop)
            break;
    }
    if (threaded) {
        pthread_mutex_lock(&pl->mu);
        pl->stop = 1;
        pthread_cond_signal(&pl->freed_cv);
        pthread_mutex_unlock(&pl->mu);
        pthread_join(thread, NULL);
        pthread_cond_destroy(&pl->freed_cv);
        pthread_cond_destroy(&pl->filled_cv);
        pthread_mutex_destroy(&pl->mu);
    }
    if (pl->peak > ix->stats.read_ahead_peak)
        ix->stats.read_ahead_peak = pl->peak;
    imr__pdf_pool_free(pl->pdf);
    for (size_t i = 0; i < N_SLOTS; i++)
        imr__prep_free(&pl->slot[i]);
    sqlite3_finalize(pl->known);
    sqlite3_close(pl->reader);
    imr__tok_free(pl->tok);
    free(pl);
    return st;
}

