/*
 * enrich - the command-line front end of libenrich.
 *
 *   enrich [OPTIONS] [FILE|-]   one article in, its JSON out
 *   enrich --jsonl [OPTIONS]    {"id","text","reference_date"} lines in,
 *                               one response line out for each, in order
 *   enrich --server URL ...     the same, answered by a running enrichd
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: enrich [OPTIONS] [FILE|-]\n"
    "       enrich --jsonl [OPTIONS] < stories.jsonl\n"
    "       enrich train [--epochs N] [--seed N] [--runs N] [--clusters TABLE] [--min-weight N]\n"
    "                    [--dev FILE] --output MODEL FILE...\n"
    "       enrich train-clusters [--classes COARSE,FINE] [--min-count N] --output TABLE [FILE|-]\n"
    "       enrich train-layout [--epochs N] [--seed N] [--runs N] [--min-pages N]\n"
    "                           (--output MODEL | --folds K) [FILE|-]\n"
    "\n"
    "Annotates a news article: headline, subheadline, dateline, bylines, body,\n"
    "related-story links (entities, dates and quotes as the library gains them).\n"
    "Reads FILE, or standard input when FILE is - or absent, and prints one JSON\n"
    "response (the same bytes enrichd answers POST /v1/enrich with).\n"
    "\n"
    "Options:\n"
    "  -r, --reference-date YYYY-MM-DD  publication date relative dates resolve\n"
    "                                   against (default: the story's own time stamp\n"
    "                                   or dated dateline, else none, with a warning)\n"
    "  -o, --offsets UNIT               utf8 (default), utf16 or codepoint\n"
    "  -i, --include PARTS              comma-separated: article, entities, dates,\n"
    "                                   related, quotes, all (default: all)\n"
    "  -p, --pretty                     indent the JSON\n"
    "  -m, --model FILE                 use this entity model (from 'enrich train')\n"
    "                                   instead of the compiled-in one\n"
    "      --layout-model FILE          use this line-role model (from 'enrich\n"
    "                                   train-layout') instead of the compiled-in one\n"
    "  -d, --dictionary FILE            custom entries that win over the model: one a\n"
    "                                   line, name<TAB>type<TAB>aliases|...<TAB>id\n"
    "                                   (type PERSON, ORG, GPE, LOC, FAC, NORP, EVENT,\n"
    "                                   MISC; # starts a comment)\n"
    "      --jsonl                      read JSON Lines {\"id\",\"text\",\"reference_date\"}\n"
    "                                   on standard input; write one response per\n"
    "                                   line, in order, each with its \"id\"; a bad\n"
    "                                   line gets {\"id\",\"error\":{...}} and the run\n"
    "                                   goes on. A line's reference_date wins over\n"
    "                                   --reference-date. When standard error is a\n"
    "                                   terminal, a running count is shown there.\n"
    "                                   A line may also carry \"offsets\" and\n"
    "                                   \"include\".\n"
    "  -s, --server URL                 send the work to a running enrichd (or a load\n"
    "                                   balancer) at URL instead of annotating here:\n"
    "                                   the same answers; with --jsonl, N requests\n"
    "                                   at once, answers in input order, 503s and\n"
    "                                   broken connections retried with backoff, a\n"
    "                                   progress line on a terminal. ENRICH_API_TOKEN\n"
    "                                   is sent as a bearer token when set.\n"
    "      --threads N                  with --jsonl, N threads share one engine (0:\n"
    "                                   one per core, the default; ENRICH_THREADS);\n"
    "                                   the answers come out in input order, byte for\n"
    "                                   byte --threads 1's\n"
    "      --timings                    after the answers, each stage's share of the\n"
    "                                   time on standard error (layout, dateline, ...,\n"
    "                                   quotes; not with --server)\n"
    "      --parallel N                 requests at once with --server (default 8)\n"
    "      --retries N                  tries per request after a 503 or a broken\n"
    "                                   connection (default 5)\n"
    "  -h, --help                       show this help\n"
    "  -V, --version                    show the version\n"
    "\n"
    "enrich train: trains an entity model on CoNLL-format files (word first, IOB\n"
    "tag last; PER, ORG, LOC, MISC) and writes it to MODEL. --epochs (default\n"
    "10), --seed (default 1), --runs (default 1: models trained from seeds\n"
    "seed, seed+1, ..., their weights averaged into one); --dev FILE prints\n"
    "PER/LOC/ORG F1 on FILE after each epoch (epochs of later runs count on);\n"
    "--clusters TABLE (from 'enrich train-clusters') adds word-class features,\n"
    "and the model keeps the table; --min-weight N (default 1) leaves out the\n"
    "features whose largest weight is under N/32767 of the model's largest.\n"
    "The same files and options always give the same model.\n"
    "\n"
    "enrich train-layout: trains the line-role model (data/layout.model) on JSON\n"
    "Lines {\"id\",\"text\",\"roles\"}, roles one letter per non-blank line (H\n"
    "headline, S subheadline, Y byline, T time stamp, D dateline, C caption, X\n"
    "boilerplate, B body, K related heading, R related item, G sign-off, F\n"
    "footer); --folds K prints K-fold cross-validated figures per role.\n"
    "\n"
    "Exit status:\n"
    "  0  success (with --jsonl: every line was answered, bad lines included)\n"
    "  1  the article was rejected (invalid UTF-8, NUL byte, bad date), or the\n"
    "     model or dictionary file is malformed\n"
    "  2  usage error (unknown option, bad option value)\n"
    "  3  input or output error (file unreadable, write failed, out of memory)\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "enrich: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'enrich --help'.\n");
    va_end(ap);
    return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, cli_options *c)
{
    static const struct option longopts[] = {
        {"reference-date", required_argument, NULL, 'r'},
        {"offsets", required_argument, NULL, 'o'},
        {"include", required_argument, NULL, 'i'},
        {"pretty", no_argument, NULL, 'p'},
        {"jsonl", no_argument, NULL, 'j'},
        {"model", required_argument, NULL, 'm'},
        {"layout-model", required_argument, NULL, 'L'},
        {"dictionary", required_argument, NULL, 'd'},
        {"server", required_argument, NULL, 's'},
        {"parallel", required_argument, NULL, 'P'},
        {"retries", required_argument, NULL, 'R'},
        {"timings", no_argument, NULL, 'T'},
        {"threads", required_argument, NULL, 'N'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    enrich_options_init(&c->opts);
    c->parallel = 8;
    c->retries = 5;
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":r:o:i:m:d:s:phV", longopts, NULL)) != -1) {
        enrich_error err;
        char *end;
        unsigned long v;
        switch (ch) {
        case 'r':
            if (enrich_check_date(optarg, &err) != ENRICH_OK)
                return usage_error("%s", err.message);
            c->opts.reference_date = c->reference_date_arg = optarg;
            break;
        case 'o':
            if (enrich_parse_offsets(optarg, &c->opts.offsets) != ENRICH_OK)
                return usage_error("unknown offset unit '%s': use utf8, utf16 or codepoint", optarg);
            c->offsets_arg = optarg;
            break;
        case 'i':
            if (enrich_parse_include(optarg, &c->opts.include, &err) != ENRICH_OK)
                return usage_error("%s", err.message);
            c->include_arg = optarg;
            break;
        case 's':
            if (strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0)
                return usage_error("--server '%s' must be an http:// or https:// URL", optarg);
            c->server = optarg;
            break;
        case 'P':
        case 'R':
            errno = 0;
            v = strtoul(optarg, &end, 10);
            if (errno || *end || end == optarg || v > 1024 || (ch == 'P' && v == 0))
                return usage_error("--%s '%s' must be a number from %d to 1024", ch == 'P' ? "parallel" : "retries",
                                   optarg, ch == 'P' ? 1 : 0);
            if (ch == 'P')
                c->parallel = (unsigned)v;
            else
                c->retries = (unsigned)v;
            break;
        case 'p':
            c->pretty = 1;
            break;
        case 'j':
            c->jsonl = 1;
            break;
        case 'T':
            c->timings = 1;
            break;
        case 'N':
            errno = 0;
            v = strtoul(optarg, &end, 10);
            if (errno || *end || end == optarg || v > 256)
                return usage_error("--threads '%s' must be a number from 0 (one per core) to 256", optarg);
            c->threads = (unsigned)v;
            c->threads_set = 1;
            break;
        case 'm':
            c->model = optarg;
            break;
        case 'L':
            c->layout_model = optarg;
            break;
        case 'd':
            c->dictionary = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return -1;
        case 'V':
            printf("enrich %s\n", enrich_version());
            return -1;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        c->file = argv[optind++];
    if (optind < argc)
        return usage_error("one FILE at most; extra argument '%s'", argv[optind]);
    if (c->jsonl && c->file && strcmp(c->file, "-") != 0)
        return usage_error("--jsonl reads standard input; drop '%s'", c->file);
    if (c->server && (c->model || c->dictionary || c->layout_model))
        return usage_error("--model, --layout-model and --dictionary are the server's own with --server");
    if (!c->threads_set) { /* ENRICH_THREADS, else one per core */
        const char *env = getenv("ENRICH_THREADS");
        char *end = NULL;
        unsigned long v = env && *env ? strtoul(env, &end, 10) : 0;
        if (env && *env && (*end || v > 256))
            return usage_error("ENRICH_THREADS '%s' must be a number from 0 (one per core) to 256", env);
        c->threads = (unsigned)v;
    }
    if (c->threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        c->threads = cores > 0 ? (unsigned)cores : 1;
    }
    if (c->server && c->timings)
        return usage_error("--timings measures the stages here; the server's are its own");
    return 0;
}

/* Reads a whole stream into a malloc'd buffer. */
static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *nb = cap > ((size_t)-1) / 2 ? NULL : realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                free(buf);
                return NULL;
            }
            break;
        }
    }
    *len = n;
    return buf;
}

/* Reads a whole file; NULL with a message on stderr when it cannot. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "enrich: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    char *buf = read_all(f, len);
    if (!buf)
        fprintf(stderr, "enrich: cannot read %s: %s\n", path, strerror(errno));
    fclose(f);
    return buf;
}

/* Creates the engine, with the model and dictionary files when named. */
/* Set when make_engine failed to read a file (exit 3), not to load it. */
static int engine_io_error;

static enrich_engine *make_engine(const char *model_path, const char *dict_path, const char *layout_path,
                                  int no_model)
{
    engine_io_error = 1;
    enrich_engine_config cfg;
    enrich_engine_config_init(&cfg);
    cfg.no_model = no_model;
    char *model = NULL, *dict = NULL, *layout = NULL;
    if (model_path && !(model = read_file(model_path, &cfg.model_len)))
        return NULL;
    if (dict_path && !(dict = read_file(dict_path, &cfg.dictionary_len))) {
        free(model);
        return NULL;
    }
    if (layout_path && !(layout = read_file(layout_path, &cfg.layout_model_len))) {
        free(model);
        free(dict);
        return NULL;
    }
    cfg.model = model;
    cfg.dictionary = dict;
    cfg.layout_model = layout;
    engine_io_error = 0;
    enrich_error err;
    enrich_engine *e = enrich_engine_new_with(&cfg, &err);
    if (!e) {
        /* Name the file a dictionary error is in. */
        int in_dict = dict_path && strncmp(err.message, "dictionary", 10) == 0;
        fprintf(stderr, "enrich: cannot start the engine: %s%s%s\n", in_dict ? dict_path : "", in_dict ? ": " : "",
                err.message);
    }
    free(model);
    free(dict);
    free(layout);
    return e;
}

/* The engine 'train-layout' uses: no entity model (the line features need
 * none). */
static enrich_engine *layout_engine(void)
{
    return make_engine(NULL, NULL, NULL, 1);
}

static void train_progress(void *data, unsigned epoch, double accuracy, double dev_f1)
{
    (void)data;
    if (dev_f1 >= 0)
        fprintf(stderr, "enrich train: epoch %u: training accuracy %.4f, dev PER/LOC/ORG F1 %.2f\n", epoch,
                accuracy, dev_f1);
    else
        fprintf(stderr, "enrich train: epoch %u: training accuracy %.4f\n", epoch, accuracy);
}

static int run_train(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"epochs", required_argument, NULL, 'e'}, {"seed", required_argument, NULL, 's'},
        {"dev", required_argument, NULL, 'd'},    {"output", required_argument, NULL, 'O'},
        {"runs", required_argument, NULL, 'r'},   {"help", no_argument, NULL, 'h'},
        {"clusters", required_argument, NULL, 'c'}, {"min-weight", required_argument, NULL, 'w'},
        {NULL, 0, NULL, 0},
    };
    enrich_train_options o;
    enrich_train_options_init(&o);
    const char *out = NULL, *dev = NULL, *clusters = NULL;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":e:s:d:O:r:c:w:h", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (ch) {
        case 'e':
            o.epochs = (unsigned)strtoul(optarg, &end, 10);
            if (!*optarg || *end || o.epochs == 0 || o.epochs > 1000)
                return usage_error("--epochs '%s' must be a number from 1 to 1000", optarg);
            break;
        case 's':
            o.seed = strtoull(optarg, &end, 10);
            if (!*optarg || *end)
                return usage_error("--seed '%s' must be a number", optarg);
            break;
        case 'r':
            o.runs = (unsigned)strtoul(optarg, &end, 10);
            if (!*optarg || *end || o.runs == 0 || o.runs > 100)
                return usage_error("--runs '%s' must be a number from 1 to 100", optarg);
            break;
        case 'd': dev = optarg; break;
        case 'c': clusters = optarg; break;
        case 'w':
            o.min_weight = (unsigned)strtoul(optarg, &end, 10);
            if (!*optarg || *end || o.min_weight == 0 || o.min_weight > 32767)
                return usage_error("--min-weight '%s' must be a number from 1 to 32767", optarg);
            break;
        case 'O': out = optarg; break;
        case 'h': fputs(usage_text, stdout); return EXIT_OK;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s' for train", argv[optind - 1]);
        }
    }
    if (!out)
        return usage_error("%s", "train needs --output MODEL");
    if (optind >= argc)
        return usage_error("%s", "train needs at least one CoNLL FILE");
    size_t n = (size_t)(argc - optind);
    const char **files = calloc(n, sizeof *files);
    size_t *lens = calloc(n, sizeof *lens);
    char *devbuf = NULL, *clubuf = NULL;
    int rc = EXIT_OK;
    enrich_engine *engine = make_engine(NULL, NULL, NULL, 1);
    if (!files || !lens || !engine)
        rc = EXIT_IO;
    for (size_t i = 0; rc == EXIT_OK && i < n; i++)
        if (!(files[i] = read_file(argv[optind + (int)i], &lens[i])))
            rc = EXIT_IO;
    if (rc == EXIT_OK && dev) {
        devbuf = read_file(dev, &o.dev_len);
        o.dev = devbuf;
        if (!devbuf)
            rc = EXIT_IO;
    }
    if (rc == EXIT_OK && clusters) {
        clubuf = read_file(clusters, &o.clusters_len);
        o.clusters = clubuf;
        if (!clubuf)
            rc = EXIT_IO;
    }
    o.progress = train_progress;
    void *model = NULL;
    size_t model_len = 0;
    enrich_error err;
    if (rc == EXIT_OK && enrich_train(engine, files, lens, n, &o, &model, &model_len, &err) != ENRICH_OK) {
        fprintf(stderr, "enrich train: %s\n", err.message);
        rc = err.code == ENRICH_ERR_DATA ? EXIT_INPUT : EXIT_IO;
    }
    if (rc == EXIT_OK) {
        FILE *f = fopen(out, "wb");
        if (!f || fwrite(model, 1, model_len, f) != model_len || fclose(f) != 0) {
            fprintf(stderr, "enrich train: cannot write %s: %s\n", out, strerror(errno));
            rc = EXIT_IO;
        } else {
            fprintf(stderr, "enrich train: wrote %s (%zu bytes)\n", out, model_len);
        }
    }
    free(model);
    for (size_t i = 0; files && i < n; i++)
        free((void *)files[i]);
    free(files);
    free(lens);
    free(devbuf);
    free(clubuf);
    enrich_engine_free(engine);
    return rc;
}

/* Writes n bytes of text and a newline; 0 or -1 on a write error. */
int print_text(const char *s, size_t n)
{
    return fwrite(s, 1, n, stdout) != n || putchar('\n') == EOF ? -1 : 0;
}


static int run_one(const enrich_engine *engine, const cli_options *c)
{
    FILE *f = stdin;
    const char *name = "standard input";
    if (c->file && strcmp(c->file, "-") != 0) {
        name = c->file;
        f = fopen(c->file, "rb");
        if (!f) {
            fprintf(stderr, "enrich: cannot open %s: %s\n", c->file, strerror(errno));
            return EXIT_IO;
        }
    }
    size_t len = 0;
    char *text = read_all(f, &len);
    int read_errno = errno;
    if (f != stdin)
        fclose(f);
    if (!text) {
        fprintf(stderr, "enrich: cannot read %s: %s\n", name, strerror(read_errno));
        return EXIT_IO;
    }
    if (!engine) { /* --server */
        int rc = run_client(c, text, len);
        free(text);
        return rc;
    }
    enrich_error err;
    enrich_doc *doc = enrich_annotate(engine, text, len, &c->opts, &err);
    if (!doc) {
        fprintf(stderr, "enrich: %s: %s\n", name, err.message);
        free(text);
        return err.code == ENRICH_ERR_NOMEM ? EXIT_IO : EXIT_INPUT;
    }
    size_t n = 0;
    char *out = enrich_doc_dumps(doc, NULL, c->pretty, &n);
    int rc = EXIT_OK;
    if (!out || print_text(out, n) != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "enrich: cannot write the response: %s\n", out ? strerror(errno) : "out of memory");
        rc = EXIT_IO;
    }
    free(out);
    enrich_doc_free(doc);
    free(text);
    return rc;
}

static int run_jsonl(const enrich_engine *engine, const cli_options *c)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    size_t lineno = 0;
    int rc = EXIT_OK;
    int progress = isatty(STDERR_FILENO);
    while ((n = getline(&line, &cap, stdin)) != -1) {
        lineno++;
        size_t len = (size_t)n;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue; /* blank lines carry no record */
        size_t out_len = 0;
        char *out = enrich_jsonl_record(engine, &c->opts, line, len, lineno, &out_len);
        if (!out || print_text(out, out_len) != 0) {
            fprintf(stderr, "enrich: line %zu: cannot write the response\n", lineno);
            free(out);
            rc = EXIT_IO;
            break;
        }
        free(out);
        if (progress && lineno % 256 == 0)
            fprintf(stderr, "\renrich: %zu stories", lineno);
    }
    if (progress && lineno >= 256)
        fprintf(stderr, "\renrich: %zu stories, done\n", lineno);
    if (ferror(stdin)) {
        fprintf(stderr, "enrich: cannot read standard input: %s\n", strerror(errno));
        rc = EXIT_IO;
    }
    free(line);
    if (fflush(stdout) != 0)
        rc = EXIT_IO;
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "train") == 0)
        return run_train(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "train-layout") == 0)
        return run_train_layout(argc - 1, argv + 1, layout_engine);
    if (argc > 1 && strcmp(argv[1], "train-clusters") == 0)
        return run_train_clusters(argc - 1, argv + 1, layout_engine);
    cli_options c;
    memset(&c, 0, sizeof c);
    int rc = parse_args(argc, argv, &c);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (c.server)
        return c.jsonl ? run_client(&c, NULL, 0) : run_one(NULL, &c);
    enrich_engine *engine = make_engine(c.model, c.dictionary, c.layout_model, 0);
    if (!engine)
        return engine_io_error || !(c.dictionary || c.model || c.layout_model) ? EXIT_IO : EXIT_INPUT;
    double seconds[64] = {0};
    unsigned stages = enrich_stage_count();
    if (c.timings && stages <= sizeof seconds / sizeof seconds[0])
        c.opts.stage_seconds = seconds;
    if (c.jsonl && c.threads > 1) {
        c.opts.stage_seconds = NULL; /* each thread keeps its own, summed at the end */
        rc = run_jsonl_threads(engine, &c, c.threads, c.timings ? seconds : NULL, stages);
        if (c.timings)
            c.opts.stage_seconds = seconds;
    } else {
        rc = c.jsonl ? run_jsonl(engine, &c) : run_one(engine, &c);
    }
    enrich_engine_free(engine);
    if (c.opts.stage_seconds) {
        double total = 0;
        for (unsigned i = 0; i < stages; i++)
            total += seconds[i];
        fprintf(stderr, "stage timings (%.1f ms in all):\n", total * 1000.0);
        for (unsigned i = 0; i < stages; i++)
            fprintf(stderr, "  %-9s %9.2f ms  %5.1f%%\n", enrich_stage_name(i), seconds[i] * 1000.0,
                    total > 0 ? 100.0 * seconds[i] / total : 0.0);
    }
    return rc;
}
