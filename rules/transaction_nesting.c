/*
 * transaction-nesting: BEGIN / COMMIT / ROLLBACK in a file the migration
 * tool already runs in a transaction (TX_PER_FILE). PostgreSQL has one
 * transaction per session: the BEGIN only draws the warning "there is
 * already a transaction in progress", and the COMMIT ends the tool's
 * transaction early. In files the tool does not wrap, explicit blocks
 * are the way to group statements; there only a BEGIN inside a block
 * that is still open is reported.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "helpers.h"
#include "banned.h"

/* The statement's keyword as written: "BEGIN", "START TRANSACTION",
   "COMMIT", "END", "ROLLBACK", "ABORT" (upper case). */
static void keyword(const struct rule_ctx *ctx, const struct stmt *st, char *out, size_t size)
{
	const char *p = ctx_file_text(ctx) + st->start;
	size_t n = 0, len = st->end - st->start;

	while (n + 1 < size && n < len && isalpha((unsigned char)p[n])) {
		out[n] = (char)toupper((unsigned char)p[n]);
		n++;
	}
	out[n] = '\0';
	if (!strcasecmp(out, "START"))
		snprintf(out, size, "START TRANSACTION");
}

/* Line of the BEGIN whose block is still open before the current
   statement (files the tool does not wrap), or 0. */
static int open_block_line(const struct rule_ctx *ctx)
{
	const char *text = ctx_file_text(ctx);
	const struct stmt *stmts;
	size_t at;
	int nr, cur, line = 1, begin = ctx_open_block(ctx);

	ctx_file_statements(ctx, &stmts, &nr, &cur);
	if (begin < 0 || begin >= nr)
		return 0;
	at = stmts[begin].start;
	for (size_t i = 0; i < at && text[i]; i++)
		line += text[i] == '\n';
	return line;
}

static void check_wrapped(struct rule_ctx *ctx, const struct stmt *st)
{
	char kw[32];

	keyword(ctx, st, kw, sizeof(kw));
	switch (st->u.txn.kind) {
	case TXN_BEGIN:
		report(ctx, RULE_TRANSACTION_NESTING, NULL,
		       "%s in a migration that the tool already runs in a transaction: PostgreSQL"
		       " ignores it (\"there is already a transaction in progress\"), so a later"
		       " COMMIT ends the tool's transaction", kw);
		break;
	case TXN_COMMIT:
		report(ctx, RULE_TRANSACTION_NESTING, NULL,
		       "%s in a migration that the tool already runs in a transaction ends the"
		       " tool's transaction early: what follows, including the tool's own record of"
		       " the migration, runs outside it, and a failure no longer rolls the"
		       " migration back as a whole", kw);
		break;
	case TXN_ROLLBACK:
		report(ctx, RULE_TRANSACTION_NESTING, NULL,
		       "%s in a migration that the tool already runs in a transaction undoes"
		       " everything the migration did so far and ends the tool's transaction", kw);
		break;
	default:
		break;
	}
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	int line;

	(void)ch;
	(void)n;
	if (st->kind != ST_TRANSACTION)
		return;
	if (ctx_tx_mode(ctx) == TX_PER_FILE) {
		check_wrapped(ctx, st);
		return;
	}
	if (st->u.txn.kind == TXN_BEGIN && (line = open_block_line(ctx)))
		report(ctx, RULE_TRANSACTION_NESTING, NULL,
		       "BEGIN inside the transaction block opened at line %d: PostgreSQL ignores it"
		       " (\"there is already a transaction in progress\"), and the first COMMIT"
		       " ends the outer block", line);
}

const struct rule_impl rule_transaction_nesting = { check, NULL };
