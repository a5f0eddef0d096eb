/*
 * main.c - the command line: migsafe lint | rules | version.
 *
 * Exit status: 0 no finding at or above --fail-on; 1 findings at or
 * above it; 2 the tool could not do its job (bad usage, unreadable
 * input, I/O error).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "config.h"
#include "discover.h"
#include "engine.h"
#include "git.h"
#include "inspect.h"
#include "locks_cmd.h"
#include "outq.h"
#include "parse.h"
#include "prefetch.h"
#include "reporter.h"
#include "sqlite_dialect.h"
#include "banned.h"

#define EXIT_FINDINGS 1
#define EXIT_TROUBLE 2

static const char usage_text[] =
	"usage: migsafe lint [options] [PATH...]\n"
	"       migsafe inspect [--format=json|sql|mermaid|dot] [--at=VERSION] [PATH...]\n"
	"       migsafe locks [--format=text|json] [lint's range options] [PATH...]\n"
	"       migsafe baseline [lint options] [-o FILE] [PATH...]\n"
	"       migsafe rules [ID]\n"
	"       migsafe version\n"
	"\n"
	"lint options:\n"
	"  -f, --format=FORMAT     text (default), json, sarif, github, gitlab, junit, markdown\n"
	"  -o, --output=FILE       write the report to FILE\n"
	"      --fail-on=LEVEL     error (default), warning, note, none\n"
	"      --pg-version=N      PostgreSQL major version the migrations run on (default 15)\n"
	"      --since=VERSION     lint only migrations at or after VERSION\n"
	"      --base=REF          lint only migrations added since REF (a CI gate); report\n"
	"                          edited applied ones\n"
	"      --baseline=FILE     hide the findings recorded by 'migsafe baseline'\n"
	"      --layout=NAME       golang-migrate, goose, atlas, flyway, dbmate, diesel,\n"
	"                          prisma, sql-migrate, plain (default: detected)\n"
	"      --transaction=MODE  per-file or none: how the migration tool runs each file\n"
	"      --dialect=NAME      postgresql or sqlite (default: sqlite when every file is\n"
	"                          named *.sql.sqlite or *.sqlite.sql, else postgresql)\n"
	"      --initial-schema=FILE  replay FILE (a pg_dump --schema-only, or any DDL)\n"
	"                          before the history, for histories squashed into a dump\n"
	"      --cache[=DIR]       keep the replayed history before the linted files in DIR\n"
	"                          (default: $XDG_CACHE_HOME/migsafe or ~/.cache/migsafe)\n"
	"                          for the next run; also MIGSAFE_CACHE=DIR\n"
	"      --no-cache          no cache, even with MIGSAFE_CACHE set (the default)\n"
	"      --rule=ID=LEVEL     set a rule's severity: error, warning, note or off\n"
	"      --config=FILE       read FILE instead of the .migsafe.json found walking up\n"
	"      --color=WHEN        auto (default), always, never\n"
	"      --no-color          same as --color=never\n"
	"  -h, --help              show this help\n"
	"\n"
	"inspect options:\n"
	"  -f, --format=FORMAT     json (default), sql, mermaid, dot\n"
	"  -o, --output=FILE       write to FILE\n"
	"      --at=VERSION        the schema as it is after migration VERSION\n"
	"      --include-tool-tables  show the migration tool's bookkeeping tables\n"
	"      --layout, --since, --transaction as for lint\n";

struct cli {
	const char *format;
	const char *output;
	enum severity fail_on;   /* SEV_OFF: never fail */
	int color;               /* -1 auto, 0 never, 1 always */
	struct discover_opts dopts;
	struct lint_opts lopts;
	struct config cfg;       /* .migsafe.json; options override it */
	const char *base;        /* --base REF */
	const char *baseline;    /* --baseline FILE */
};

static int usage_error(const char *fmt, ...) PRINTF_LIKE(1, 2);
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "migsafe: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'migsafe --help')\n");
	return EXIT_TROUBLE;
}

static int parse_fail_on(const char *s, enum severity *out)
{
	if (!strcmp(s, "none")) {
		*out = SEV_OFF;
		return 0;
	}
	return severity_parse(s, out);
}

static int parse_pg_version(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end == '.')   /* "15.4": the major version is what matters */
		strtol(end + 1, &end, 10);
	if (*end || v < 9 || v > 99)
		return -1;
	*out = (int)v;
	return 0;
}

enum {
	OPT_FAIL_ON = 256, OPT_PG_VERSION, OPT_SINCE, OPT_LAYOUT, OPT_TRANSACTION,
	OPT_DIALECT, OPT_COLOR, OPT_NO_COLOR, OPT_INITIAL_SCHEMA, OPT_RULE, OPT_CONFIG,
	OPT_BASE, OPT_BASELINE, OPT_CACHE, OPT_NO_CACHE,
};

static const struct option lint_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "pg-version", required_argument, NULL, OPT_PG_VERSION },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "layout", required_argument, NULL, OPT_LAYOUT },
	{ "transaction", required_argument, NULL, OPT_TRANSACTION },
	{ "dialect", required_argument, NULL, OPT_DIALECT },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "initial-schema", required_argument, NULL, OPT_INITIAL_SCHEMA },
	{ "rule", required_argument, NULL, OPT_RULE },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "cache", optional_argument, NULL, OPT_CACHE },
	{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* --rule ID=LEVEL: error, warning, note or off */
static int rule_option(struct cli *c, const char *arg)
{
	const char *eq = strchr(arg, '=');
	const struct rule_info *r;
	enum severity sev;
	char *id;

	if (!eq)
		return usage_error("--rule takes ID=LEVEL, not '%s'", arg);
	id = xstrndup(arg, (size_t)(eq - arg));
	r = rule_by_id(id);
	free(id);
	if (!r)
		return usage_error("--rule: unknown rule in '%s' (see 'migsafe rules')", arg);
	if (!strcmp(eq + 1, "off"))
		sev = SEV_OFF;
	else if (severity_parse(eq + 1, &sev))
		return usage_error("--rule: level must be error, warning, note or off in '%s'", arg);
	c->lopts.severity[r->rule] = sev;
	return 0;
}

static int lint_option(struct cli *c, int opt, const char *arg)
{
	switch (opt) {
	case 'f':
		if (!reporter_by_name(arg))
			return usage_error("unknown format '%s'", arg);
		c->format = arg;
		return 0;
	case 'o':
		c->output = arg;
		return 0;
	case OPT_FAIL_ON:
		if (parse_fail_on(arg, &c->fail_on))
			return usage_error("--fail-on takes error, warning, note or none, not '%s'", arg);
		return 0;
	case OPT_PG_VERSION:
		if (parse_pg_version(arg, &c->lopts.pg_version))
			return usage_error("--pg-version takes a major version such as 15, not '%s'", arg);
		return 0;
	case OPT_SINCE:
		c->dopts.since = arg;
		return 0;
	case OPT_LAYOUT:
		c->dopts.layout = arg;
		return 0;
	case OPT_TRANSACTION:
		if (!strcmp(arg, "per-file"))
			c->lopts.tx_override = TX_PER_FILE;
		else if (!strcmp(arg, "none"))
			c->lopts.tx_override = TX_NONE;
		else
			return usage_error("--transaction takes per-file or none, not '%s'", arg);
		return 0;
	case OPT_DIALECT: {
		enum dialect d;

		if (dialect_parse(arg, &d))
			return usage_error("unsupported dialect '%s' (supported: postgresql, sqlite)",
					   arg);
		c->lopts.dialect = d;
		return 0;
	}
	case OPT_COLOR:
		if (!strcmp(arg, "auto"))
			c->color = -1;
		else if (!strcmp(arg, "always"))
			c->color = 1;
		else if (!strcmp(arg, "never"))
			c->color = 0;
		else
			return usage_error("--color takes auto, always or never, not '%s'", arg);
		return 0;
	case OPT_NO_COLOR:
		c->color = 0;
		return 0;
	case OPT_INITIAL_SCHEMA:
		c->lopts.initial_schema = arg;
		return 0;
	case OPT_RULE:
		return rule_option(c, arg);
	case OPT_CONFIG:
		return 0;   /* read before the other options, see setup() */
	case OPT_BASE:
		c->base = arg;
		return 0;
	case OPT_BASELINE:
		c->baseline = arg;
		return 0;
	case OPT_CACHE:
		if (arg && !*arg)
			return usage_error("--cache= names no directory");
		c->lopts.cache_dir = arg ? arg : "";
		return 0;
	case OPT_NO_CACHE:
		c->lopts.cache_dir = NULL;
		return 0;
	case 'h':
		fputs(usage_text, stdout);
		exit(0);
	default:
		fputs("(see 'migsafe --help')\n", stderr);
		return EXIT_TROUBLE;
	}
}

static bool want_color(const struct cli *c, FILE *out)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (c->color >= 0)
		return c->color;
	if (nc && *nc)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(out));
}

/*
 * In GitHub Actions the text format also prints workflow commands, so
 * the findings show as annotations on the pull request's files.
 */
static bool want_annotations(const struct cli *c)
{
	const char *gha = getenv("GITHUB_ACTIONS");

	return !strcmp(c->format, "text") && gha && !strcmp(gha, "true");
}

/*
 * The report, written while the history is linted: the engine hands
 * over each file's findings when the file is done (lint_opts.sink), so
 * a history with hundreds of thousands of findings is never held whole.
 */
struct report {
	const struct reporter *rep;
	struct report_opts ro;
	void *state;
	const char **files;
	const struct rule_info **extra;    /* the config's custom rules */
	FILE *out;
	struct baseline *bl;
	struct summary *sum;
	struct finding_list annotations;   /* kept for want_annotations() */
	bool annotate;
	/* NULL: findings are written on the main thread; else each goes
	   through this queue to emit_finding() on the writer thread, which
	   alone touches state, out and annotations until report_close() */
	struct outq *q;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* One finding to the reporter, and a copy kept when annotations follow.
   f stays the caller's. */
static void emit_finding(void *data, const struct finding *f)
{
	struct report *r = data;
	struct finding *k;

	if (r->rep->finding)
		r->rep->finding(r->state, &r->ro, f);
	if (!r->annotate)
		return;
	ALLOC_GROW(r->annotations.items, (size_t)r->annotations.nr + 1, r->annotations.alloc);
	k = &r->annotations.items[r->annotations.nr++];
	*k = *f;
	k->message = dup_or_null(f->message);
	k->object = dup_or_null(f->object);
	k->snippet = dup_or_null(f->snippet);
}

/*
 * Write findings on a thread of their own when threads are allowed and
 * the report goes to a file or a pipe: on a terminal, warnings on
 * standard error stay in step with the findings they belong to.
 */
static bool want_writer_thread(const struct report *r)
{
	return writer_thread_allowed() && !isatty(fileno(r->out));
}

static char out_buffer[64 << 10];

static int report_open(struct report *r, const struct cli *c, const struct history *h,
		       struct baseline *bl, struct summary *sum)
{
	int n = 0;

	memset(r, 0, sizeof(*r));
	r->rep = reporter_by_name(c->format);
	r->out = stdout;
	r->bl = bl;
	r->sum = sum;
	r->annotate = want_annotations(c);
	finding_list_init(&r->annotations);
	if (c->output && !(r->out = fopen(c->output, "w")))
		return error("cannot open '%s' for writing: %s", c->output, strerror(errno));
	/* not a terminal: the report in 64 KB writes, not 4 KB ones (a
	   system call costs microseconds here; 15 MB of JSON made 3,800).
	   glibc ignores the size unless given the buffer; one report per
	   process, and the buffer outlives stdout. */
	if (!isatty(fileno(r->out)))
		setvbuf(r->out, out_buffer, _IOFBF, sizeof(out_buffer));
	r->files = xcalloc((size_t)h->nr + 1, sizeof(*r->files));
	for (int i = 0; i < h->nr; i++)
		if (h->items[i].in_range)
			r->files[n++] = h->items[i].display;
	r->ro.out = r->out;
	r->ro.color = want_color(c, r->out);
	r->ro.tool_version = PROJECT_VERSION;
	r->ro.automation_id = getenv("MIGSAFE_SARIF_CATEGORY");
	r->ro.files = r->files;
	r->ro.nr_files = n;
	if (c->lopts.config && c->lopts.config->nr_custom) {
		r->extra = xcalloc((size_t)c->lopts.config->nr_custom, sizeof(*r->extra));
		for (int i = 0; i < c->lopts.config->nr_custom; i++)
			r->extra[i] = &c->lopts.config->custom[i].info;
		r->ro.extra_rules = r->extra;
		r->ro.nr_extra_rules = c->lopts.config->nr_custom;
	}
	r->state = r->rep->begin ? r->rep->begin(&r->ro) : NULL;
	if (want_writer_thread(r))
		r->q = outq_start(emit_finding, r);
	return 0;
}

/* lint_opts.sink: one finding, ours to free. The baseline and the
   summary are the main thread's. */
static void report_finding(void *data, struct finding *f)
{
	struct report *r = data;

	if (baseline_take(r->bl, f)) {
		r->sum->baselined++;
		r->sum->by_severity[f->severity]--;
		finding_release(f);
		return;
	}
	if (r->q) {
		outq_push(r->q, f);
		return;
	}
	emit_finding(r, f);
	finding_release(f);
}

static int report_close(struct report *r, const struct cli *c)
{
	int ret = 0;

	outq_finish(r->q);
	r->q = NULL;
	if (r->rep->end && r->rep->end(r->state, &r->ro, r->sum))
		ret = -1;
	for (int i = 0; i < r->annotations.nr; i++)
		github_annotation(stdout, &r->annotations.items[i]);
	finding_list_release(&r->annotations);
	if (r->out != stdout && fclose(r->out))
		ret = -1;
	else if (r->out == stdout && fflush(stdout))
		ret = -1;
	if (ret)
		error("cannot write the report to '%s'", c->output ? c->output : "standard output");
	free(r->files);
	free(r->extra);
	return ret;
}

static int exit_status(const struct cli *c, const struct summary *sum)
{
	if (c->fail_on == SEV_OFF)
		return 0;
	for (int s = c->fail_on; s <= SEV_ERROR; s++)
		if (sum->by_severity[s])
			return EXIT_FINDINGS;
	return 0;
}

/* --config FILE is needed before the other options: they override it. */
static const char *config_arg(int argc, char **argv)
{
	const char *path = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strncmp(argv[i], "--config=", 9))
			path = argv[i] + 9;
		else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			path = argv[++i];
	}
	return path;
}

/* What the config says, as defaults for the options. */
static void apply_config(struct cli *c)
{
	const struct config *cfg = &c->cfg;
	bool naming = false;

	if (cfg->pg_version)
		c->lopts.pg_version = cfg->pg_version;
	if (cfg->dialect) {
		enum dialect d;

		if (!dialect_parse(cfg->dialect, &d))
			c->lopts.dialect = d;
	}
	if (cfg->layout)
		c->dopts.layout = cfg->layout;
	if (cfg->transaction >= 0)
		c->lopts.tx_override = cfg->transaction;
	if (cfg->runner_sets_lock_timeout >= 0)
		c->lopts.runner_sets_lock_timeout = cfg->runner_sets_lock_timeout;
	if (cfg->initial_schema)
		c->lopts.initial_schema = cfg->initial_schema;
	for (int i = 0; i < NR_NAMING; i++)
		naming |= cfg->naming[i] != NULL;
	/* naming-convention is off until there are patterns to check */
	if (naming)
		c->lopts.severity[RULE_NAMING_CONVENTION] = SEV_WARNING;
	for (int i = 0; i < NR_RULES; i++)
		if (cfg->rule_set[i])
			c->lopts.severity[i] = cfg->rule_severity[i];
	c->lopts.config = cfg;
}

/*
 * Common to lint, inspect and locks: read the config, then the options
 * (which override it); 'handle' takes the command's own options.
 */
static int setup(struct cli *c, int argc, char **argv, const struct option *opts,
		 int (*handle)(struct cli *, int, const char *))
{
	int opt, ret;

	lint_opts_init(&c->lopts);
	config_init(&c->cfg);
	if (config_load(&c->cfg, config_arg(argc, argv)))
		return EXIT_TROUBLE;
	apply_config(c);
	/* a cache is written only where the user asked for one */
	if (getenv("MIGSAFE_CACHE") && *getenv("MIGSAFE_CACHE"))
		c->lopts.cache_dir = getenv("MIGSAFE_CACHE");
	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1)
		if ((ret = handle(c, opt, optarg)))
			return ret;
	return 0;
}

/* The history named on the command line, or by the config, or ".". */
static int find_history(struct cli *c, int argc, char **argv, struct history *h)
{
	const char *dot[] = { "." };
	const char **paths = dot;
	int n = 1, w = 0;

	if (optind < argc) {
		paths = (const char **)argv + optind;
		n = argc - optind;
	} else if (c->cfg.nr_migrations) {
		paths = (const char **)c->cfg.migrations;
		n = c->cfg.nr_migrations;
	}
	if (discover(paths, n, &c->dopts, h, &c->lopts.explicit_range))
		return -1;
	for (int i = 0; i < h->nr; i++) {
		if (config_excluded(&c->cfg, h->items[i].display)) {
			free(h->items[i].path);
			free(h->items[i].display);
			free(h->items[i].version);
			free(h->items[i].name);
			continue;
		}
		h->items[w++] = h->items[i];
	}
	h->nr = w;
	if (!h->nr)
		return error("every migration is excluded by the config's \"exclude\"");
	if (c->base) {
		if (git_mark_base(h, c->base))
			return -1;
		c->lopts.explicit_range = true;
	}
	return 0;
}

static int lint_handle(struct cli *c, int opt, const char *arg)
{
	return lint_option(c, opt, arg);
}

static int cmd_lint(int argc, char **argv)
{
	struct cli c = { .format = "text", .fail_on = SEV_ERROR, .color = -1 };
	struct baseline bl = { 0 };
	struct finding_list fl;
	struct summary sum;
	struct history h;
	struct report r;
	int ret, lint_failed;

	history_init(&h);
	finding_list_init(&fl);
	if ((ret = setup(&c, argc, argv, lint_options, lint_handle)))
		goto out;
	/*
	 * With a cache, linting is mostly loading a long history's state:
	 * the heap goes to huge pages before discovery allocates (a 2,000-file
	 * scan took 190 faults of 4 KB, 1.8 ms of a 30 ms run). Without one,
	 * the engine sizes it from the history (size_heap()): from here, the
	 * scan's holes would stay in the peak RSS of a long lint.
	 */
	if (c.lopts.cache_dir)
		memory_huge_heap((size_t)HUGE_HEAP_MAX_MB << 20);
	if (find_history(&c, argc, argv, &h)) {
		ret = EXIT_TROUBLE;
		goto out;
	}
	if (c.baseline && baseline_load(&bl, c.baseline)) {
		ret = EXIT_TROUBLE;
		goto out;
	}
	if (report_open(&r, &c, &h, &bl, &sum)) {
		ret = EXIT_TROUBLE;
		goto out;
	}
	c.lopts.sink = report_finding;
	c.lopts.sink_data = &r;
	c.lopts.no_snippets = !r.rep->snippets;
	lint_failed = lint_run(&c.lopts, &h, &fl, &sum);
	ret = report_close(&r, &c) ? EXIT_TROUBLE : exit_status(&c, &sum);
	if (lint_failed)
		ret = EXIT_TROUBLE;
out:
	baseline_release(&bl);
	finding_list_release(&fl);
	history_release(&h);
	config_release(&c.cfg);
	return ret;
}

enum { OPT_AT = 512, OPT_TOOL_TABLES };

static const struct option inspect_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "at", required_argument, NULL, OPT_AT },
	{ "include-tool-tables", no_argument, NULL, OPT_TOOL_TABLES },
	{ "layout", required_argument, NULL, OPT_LAYOUT },
	{ "transaction", required_argument, NULL, OPT_TRANSACTION },
	{ "dialect", required_argument, NULL, OPT_DIALECT },
	{ "initial-schema", required_argument, NULL, OPT_INITIAL_SCHEMA },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The index of the last migration at or before version 'at'. */
static int last_at(const struct history *h, const char *at)
{
	int last = -1;

	for (int i = 0; i < h->nr; i++)
		if (version_cmp(h->items[i].version, at) <= 0)
			last = i;
	return last;
}

static int write_inspect(struct catalog *cat, const struct inspect_opts *io, const char *output)
{
	FILE *out = stdout;
	int ret;

	if (output && !(out = fopen(output, "w")))
		return error("cannot open '%s' for writing: %s", output, strerror(errno));
	ret = inspect_write(cat, io, out);
	if (out != stdout && fclose(out))
		ret = -1;
	if (ret)
		error("cannot write to '%s'", output ? output : "standard output");
	return ret;
}

/* inspect's options; --at and --include-tool-tables land in 'io' */
static const char *inspect_at;
static struct inspect_opts *inspect_io;

static int inspect_handle(struct cli *c, int opt, const char *arg)
{
	if (opt == 'f') {
		if (!inspect_format_known(arg))
			return usage_error("inspect writes json, sql, mermaid or dot, not '%s'", arg);
		c->format = arg;
		return 0;
	}
	if (opt == OPT_AT) {
		inspect_at = arg;
		return 0;
	}
	if (opt == OPT_TOOL_TABLES) {
		inspect_io->include_tool_tables = true;
		return 0;
	}
	return lint_option(c, opt, arg);
}

static int cmd_inspect(int argc, char **argv)
{
	struct cli c = { .format = "json" };
	struct inspect_opts io = { 0 };
	struct catalog *cat = NULL;
	struct history h;
	int ret, failed = 0, last;

	history_init(&h);
	inspect_io = &io;
	inspect_at = NULL;
	if ((ret = setup(&c, argc, argv, inspect_options, inspect_handle)))
		goto out;
	io.format = c.format;
	if (find_history(&c, argc, argv, &h)) {
		ret = EXIT_TROUBLE;
		goto out;
	}
	last = inspect_at ? last_at(&h, inspect_at) : h.nr - 1;
	if (inspect_at && last < 0) {
		error("no migration at or before version '%s'", inspect_at);
		ret = EXIT_TROUBLE;
		goto out;
	}
	if (replay_history(&c.lopts, &h, last, &cat, &failed))
		ret = EXIT_TROUBLE;
	if (failed)
		warning("%d statement%s would fail on %s and %s left out"
			" (run 'migsafe lint' for details)", failed, failed == 1 ? "" : "s",
			dialect_resolve(c.lopts.dialect, &h) == DIALECT_SQLITE ? "SQLite" : "PostgreSQL",
			failed == 1 ? "was" : "were");
	if (cat && write_inspect(cat, &io, c.output))
		ret = EXIT_TROUBLE;
out:
	catalog_free(cat);
	history_release(&h);
	config_release(&c.cfg);
	return ret;
}

static int locks_handle(struct cli *c, int opt, const char *arg)
{
	if (opt == 'f') {
		if (strcmp(arg, "text") && strcmp(arg, "json"))
			return usage_error("locks writes text or json, not '%s'", arg);
		c->format = arg;
		return 0;
	}
	return lint_option(c, opt, arg);
}

static int cmd_locks(int argc, char **argv)
{
	struct cli c = { .format = "text" };
	struct locks_output *lo;
	struct finding_list fl;
	struct summary sum;
	struct history h;
	FILE *out = stdout;
	int ret;

	history_init(&h);
	finding_list_init(&fl);
	if ((ret = setup(&c, argc, argv, lint_options, locks_handle)))
		goto out;
	if (find_history(&c, argc, argv, &h)) {
		ret = EXIT_TROUBLE;
		goto out;
	}
	if (c.output && !(out = fopen(c.output, "w"))) {
		ret = error("cannot open '%s' for writing: %s", c.output, strerror(errno));
		goto out;
	}
	locks_output_start(&lo, out, !strcmp(c.format, "json"), &c.lopts);
	if (lint_run(&c.lopts, &h, &fl, &sum))
		ret = -1;
	if (locks_output_finish(lo) || (out != stdout && fclose(out)))
		ret = error("cannot write to '%s'", c.output ? c.output : "standard output");
out:
	finding_list_release(&fl);
	history_release(&h);
	config_release(&c.cfg);
	return ret ? EXIT_TROUBLE : 0;
}

/* Which other linter's ids a suppression comment may use for each rule. */
static void print_mapping(const char *tool, const char *directive)
{
	bool any = false;

	for (int i = 0; i < NR_RULES; i++) {
		char *ids = rule_doc_field(&rule_table[i], tool);

		if (ids && *ids) {
			if (!any)
				printf("\n-- %s ID honoured as:\n", directive);
			printf("  %-40s %s\n", ids, rule_table[i].id);
			any = true;
		}
		free(ids);
	}
}

/* migsafe baseline: today's findings, for --baseline to hide. */
static int cmd_baseline(int argc, char **argv)
{
	struct cli c = { .format = "text", .color = 0 };
	struct finding_list fl;
	struct summary sum;
	struct history h;
	const char *out;
	int ret;

	history_init(&h);
	finding_list_init(&fl);
	if ((ret = setup(&c, argc, argv, lint_options, lint_handle)))
		goto done;
	if (find_history(&c, argc, argv, &h)) {
		ret = EXIT_TROUBLE;
		goto done;
	}
	out = c.output ? c.output : ".migsafe-baseline.json";
	c.lopts.no_snippets = true;   /* a baseline keeps fingerprints */
	ret = lint_run(&c.lopts, &h, &fl, &sum) ? EXIT_TROUBLE : 0;
	if (baseline_write(out, &fl))
		ret = EXIT_TROUBLE;
	else
		fprintf(stderr, "migsafe: wrote %d finding%s to '%s'\n", fl.nr, fl.nr == 1 ? "" : "s",
			out);
done:
	finding_list_release(&fl);
	history_release(&h);
	config_release(&c.cfg);
	return ret;
}

static int cmd_rules(int argc, char **argv)
{
	const struct rule_info *r;
	const char *doc;

	if (argc > 2)
		return usage_error("rules takes at most one rule id");
	if (argc == 2) {
		if (!(r = rule_by_id(argv[1])))
			return usage_error("unknown rule '%s' (see 'migsafe rules')", argv[1]);
		doc = rule_doc(r);
		fputs(doc ? doc : r->summary, stdout);
		return 0;
	}
	printf("%-28s %-14s %-8s %s\n", "RULE", "CATEGORY", "DEFAULT", "SUMMARY");
	for (int i = 0; i < NR_RULES; i++)
		printf("%-28s %-14s %-8s %s\n", rule_table[i].id, rule_table[i].category,
		       severity_name(rule_table[i].default_severity), rule_table[i].summary);
	print_mapping("squawk", "squawk-ignore");
	print_mapping("atlas", "atlas:nolint");
	return 0;
}

int main(int argc, char **argv)
{
	/* the catalog and the SQLite sandbox live on the main thread; the
	   prefetch worker only parses */
	catalog_single_thread();
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_TROUBLE : 0;
	}
	if (!strcmp(argv[1], "lint"))
		return cmd_lint(argc - 1, argv + 1);
	if (!strcmp(argv[1], "inspect"))
		return cmd_inspect(argc - 1, argv + 1);
	if (!strcmp(argv[1], "baseline"))
		return cmd_baseline(argc - 1, argv + 1);
	if (!strcmp(argv[1], "locks"))
		return cmd_locks(argc - 1, argv + 1);
	if (!strcmp(argv[1], "rules"))
		return cmd_rules(argc - 1, argv + 1);
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("migsafe %s (%s, %s)\n", PROJECT_VERSION, parse_backend_version(),
		       catalog_backend_version());
		return 0;
	}
	return usage_error("unknown command '%s'", argv[1]);
}
