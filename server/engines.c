/*
 * engines.c - the engine in use and the requests using it: a reload swaps
 * in a new engine while requests finish on the old one, which is freed
 * when the last of them lets go.
 */
#include <stdlib.h>
#include <time.h>

#include "server.h"

engine_ref *server_engine_acquire(server_state *st)
{
    pthread_mutex_lock(&st->lock);
    engine_ref *ref = st->current;
    ref->refs++;
    pthread_mutex_unlock(&st->lock);
    return ref;
}

void server_engine_release(server_state *st, engine_ref *ref)
{
    pthread_mutex_lock(&st->lock);
    int last = --ref->refs == 0;
    pthread_mutex_unlock(&st->lock);
    if (last) {
        enrich_engine_free(ref->engine);
        free(ref);
    }
}

int server_engine_swap(server_state *st, enrich_engine *engine)
{
    engine_ref *ref = calloc(1, sizeof *ref);
    if (!ref) {
        enrich_engine_free(engine);
        return -1;
    }
    ref->engine = engine;
    ref->refs = 1; /* for being current */
    pthread_mutex_lock(&st->lock);
    engine_ref *old = st->current;
    st->current = ref;
    pthread_mutex_unlock(&st->lock);
    atomic_store(&st->metrics.engine_loaded_unix, (long)time(NULL));
    if (old)
        server_engine_release(st, old);
    return 0;
}
