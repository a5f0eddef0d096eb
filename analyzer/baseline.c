#include "baseline.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "util.h"
#include "banned.h"

void baseline_init(struct baseline *b)
{
	memset(b, 0, sizeof(*b));
}

void baseline_release(struct baseline *b)
{
	for (int i = 0; i < b->nr; i++)
		free(b->items[i].rule);
	free(b->items);
	baseline_init(b);
}

static int parse_entry(struct baseline *b, json_t *e, size_t i, const char *path)
{
	const char *rule = json_string_value(json_object_get(e, "rule"));
	const char *fp = json_string_value(json_object_get(e, "fingerprint"));
	char *end = NULL;
	uint64_t v;

	if (fp)
		v = strtoull(fp, &end, 16);
	if (!rule || !fp || !end || *end || strlen(fp) != 16)
		return error("'%s': findings[%zu]: needs \"rule\" and a 16-digit hex \"fingerprint\"",
			     path, i);
	b->items[b->nr].rule = xstrdup(rule);
	b->items[b->nr++].fingerprint = v;
	return 0;
}

int baseline_load(struct baseline *b, const char *path)
{
	json_error_t jerr;
	json_t *root, *list, *e;
	size_t i;
	int ret = -1;

	root = json_load_file(path, 0, &jerr);
	if (!root) {
		if (jerr.line < 0 || !jerr.line)
			return error("cannot read baseline '%s': %s", path, jerr.text);
		return error("'%s': not valid JSON: %s (line %d)", path, jerr.text, jerr.line);
	}
	list = json_object_get(root, "findings");
	if (json_integer_value(json_object_get(root, "version")) != 1 || !json_is_array(list)) {
		error("'%s': not a migsafe baseline (want {\"version\": 1, \"findings\": [...]})", path);
		goto out;
	}
	b->items = xcalloc(json_array_size(list) + 1, sizeof(*b->items));
	json_array_foreach(list, i, e)
		if (parse_entry(b, e, i, path))
			goto out;
	ret = 0;
out:
	json_decref(root);
	return ret;
}

int baseline_write(const char *path, const struct finding_list *fl)
{
	json_t *doc = json_pack("{s:i, s:[]}", "version", 1, "findings");
	json_t *list = json_object_get(doc, "findings");
	int ret;

	for (int i = 0; i < fl->nr; i++) {
		const struct finding *f = &fl->items[i];
		char fp[HEX_U64];

		hex_u64(fp, f->fingerprint);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:i, s:s}", "rule", f->rule->id,
						      "fingerprint", fp, "file", f->file, "line",
						      f->loc.line, "message", f->message));
	}
	ret = json_dump_file(doc, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (ret)
		return error("cannot write baseline '%s': %s", path, strerror(errno));
	return 0;
}

bool baseline_take(struct baseline *b, const struct finding *f)
{
	for (int i = 0; i < b->nr; i++) {
		struct baseline_entry *e = &b->items[i];

		if (!e->used && e->fingerprint == f->fingerprint && !strcmp(e->rule, f->rule->id)) {
			e->used = true;
			return true;
		}
	}
	return false;
}

void baseline_filter(struct baseline *b, struct finding_list *fl, struct summary *s)
{
	int w = 0;

	for (int i = 0; i < fl->nr; i++) {
		struct finding *f = &fl->items[i];

		if (!baseline_take(b, f)) {
			fl->items[w++] = *f;
			continue;
		}
		s->baselined++;
		s->by_severity[f->severity]--;
		finding_release(f);
	}
	fl->nr = w;
}
