/*
 * ast.h - migsafe's own statement types.
 *
 * parse.c is the only module that sees libpg_query; it turns each SQL
 * statement into one 'struct stmt' below. Everything after parsing
 * (replay, rules, reporters) works on these types.
 *
 * Ownership: every pointer inside a stmt (names, lists, expressions)
 * lives in the arena of the 'struct stmt_list' that holds it and dies
 * with stmt_list_release(). Nothing here is freed individually.
 *
 * Names: identifiers are already folded the way PostgreSQL folds them
 * (unquoted -> lower case, quoted -> as written). A qname's schema is
 * NULL when the statement did not qualify the name.
 */
#ifndef MIGSAFE_AST_H
#define MIGSAFE_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct source_file;

struct qname {
	const char *schema;   /* NULL: not qualified */
	const char *name;
};

/*
 * A type as written, in canonical form: 'name' is PostgreSQL's internal
 * name without the pg_catalog schema (int2, int4, int8, float4, float8,
 * numeric, bool, text, varchar, bpchar, timestamp, timestamptz, date,
 * time, timetz, interval, bytea, uuid, json, jsonb, bit, varbit, ...),
 * so 'int', 'integer' and 'int4' are one type. User types keep their
 * (folded) name and schema. serial types become int2/int4/int8 with
 * 'serial' set.
 */
struct type_ref {
	const char *schema;   /* NULL for built-in types */
	const char *name;     /* NULL: no type (e.g. not given) */
	int mods[2];          /* type modifiers: varchar(64) -> {64}; numeric(12,2) -> {12,2} */
	int nr_mods;          /* 0, 1 or 2; -1 when a modifier is not a constant */
	int array_dims;       /* int[] -> 1, int[][] -> 2 */
	bool serial;          /* smallserial/serial/bigserial */
	/* interval fields (YEAR TO MONTH, ...) are kept as a modifier by PG */
};

/*
 * An expression (default, CHECK, index expression or predicate, USING).
 * We keep what rules need, not a tree:
 *   text      a normalised rendering, stable across spacing and case, used
 *             to compare expressions and to show them
 *   funcs     every function called, lower case, schema stripped
 *             (volatility is looked up from these)
 *   columns   every column referenced (last name component)
 *   not_null_column  set when the whole expression is "<col> IS NOT NULL"
 *   is_const  a literal, possibly cast (DEFAULT 0, DEFAULT 'x'::text);
 *             nr_casts counts the casts, cast is the one of them when
 *             there is exactly one (whether DEFAULT NULL::text is stored
 *             depends on it)
 *   has_subquery / has_nextval  self-explanatory
 *   start, end  byte span in the file, when known (end may be 0)
 */
struct expr {
	const char *text;
	const char **funcs;
	int nr_funcs;
	const char **columns;
	int nr_columns;
	const char *not_null_column;
	bool is_const;
	bool is_null;         /* DEFAULT NULL, possibly cast */
	int nr_casts;
	struct type_ref cast;
	bool has_subquery;
	size_t start, end;
};

enum fk_action {
	FK_NO_ACTION = 'a',
	FK_RESTRICT = 'r',
	FK_CASCADE = 'c',
	FK_SET_NULL = 'n',
	FK_SET_DEFAULT = 'd',
};

enum con_kind {
	CON_PRIMARY = 'p',
	CON_UNIQUE = 'u',
	CON_CHECK = 'c',
	CON_FOREIGN = 'f',
	CON_EXCLUDE = 'x',
};

struct constraint_def {
	enum con_kind kind;
	const char *name;             /* NULL: PostgreSQL generates one */
	const char **columns;         /* key columns (PK/UNIQUE/FK); for an
	                                 inline constraint, the column itself */
	int nr_columns;
	const char **include;         /* INCLUDE (...) of PK/UNIQUE */
	int nr_include;
	struct expr *check;           /* CHECK expression */
	struct qname ref_table;       /* FOREIGN KEY target */
	const char **ref_columns;     /* NULL/0: the target's primary key */
	int nr_ref_columns;
	enum fk_action on_delete, on_update;
	bool not_valid;               /* NOT VALID */
	bool no_inherit;
	bool deferrable, initially_deferred;
	bool nulls_not_distinct;      /* UNIQUE NULLS NOT DISTINCT */
	const char *using_index;      /* ADD CONSTRAINT ... USING INDEX name */
	const char *index_method;     /* EXCLUDE USING gist */
	size_t start;                 /* byte offset of the constraint clause */
};

enum identity_kind {
	IDENTITY_NONE = 0,
	IDENTITY_ALWAYS = 'a',
	IDENTITY_BY_DEFAULT = 'd',
};

struct column_def {
	const char *name;
	struct type_ref type;
	bool not_null;                /* NOT NULL (or PRIMARY KEY inline) */
	bool explicit_null;           /* NULL written */
	struct expr *default_expr;    /* NULL: no DEFAULT */
	enum identity_kind identity;
	struct expr *generated;       /* GENERATED ALWAYS AS (...) STORED */
	const char *collation;
	size_t start;                 /* byte offset of the column definition */
	/* Inline constraints (REFERENCES, UNIQUE, PRIMARY KEY, CHECK) are
	   hoisted by the parser: in CREATE TABLE into the table's constraint
	   list, in ALTER TABLE ... ADD COLUMN into AT_ADD_CONSTRAINT commands
	   that follow the AT_ADD_COLUMN command; either way with
	   columns = { name }. PRIMARY KEY also sets not_null. */
};

enum obj_kind {
	OBJ_NONE,
	OBJ_TABLE,
	OBJ_INDEX,
	OBJ_VIEW,
	OBJ_MATVIEW,
	OBJ_SEQUENCE,
	OBJ_SCHEMA,
	OBJ_TYPE,
	OBJ_DOMAIN,
	OBJ_EXTENSION,
	OBJ_FUNCTION,
	OBJ_PROCEDURE,
	OBJ_TRIGGER,
	OBJ_POLICY,
	OBJ_COLUMN,
	OBJ_CONSTRAINT,
	OBJ_DATABASE,
	OBJ_FOREIGN_TABLE,
	OBJ_OTHER,
};

/* CREATE TABLE ... (LIKE src INCLUDING ...): PostgreSQL's bits */
#define LIKE_COMMENTS    (1u << 0)
#define LIKE_COMPRESSION (1u << 1)
#define LIKE_CONSTRAINTS (1u << 2)
#define LIKE_DEFAULTS    (1u << 3)
#define LIKE_GENERATED   (1u << 4)
#define LIKE_IDENTITY    (1u << 5)
#define LIKE_INDEXES     (1u << 6)
#define LIKE_STATISTICS  (1u << 7)
#define LIKE_STORAGE     (1u << 8)

/*
 * One output column of CREATE TABLE AS SELECT, as far as the query says:
 * a column reference (t.c), a star (*, t.*), or an expression whose name
 * is figured the way PostgreSQL does and whose type is known only for a
 * cast or a literal.
 */
struct select_item {
	const char *name;        /* output name; NULL for a star */
	const char *qualifier;   /* t in t.c or t.*, or NULL */
	const char *column;      /* c of a plain column reference, or NULL */
	bool star;
	struct type_ref type;    /* known type; name NULL when not known */
};

struct from_item {
	struct qname rel;
	const char *alias;       /* NULL: none */
};

/* The counts and flags sit together: every statement is as big as the
   biggest of the union's members, and this is it (160 bytes; with
   each count beside its array, 192). */
struct create_table {
	struct qname name;
	struct column_def *columns;           /* nr_columns */
	struct constraint_def *constraints;   /* nr_constraints: table-level
	                                         and hoisted inline */
	struct qname *inherits;               /* nr_inherits */
	struct qname partition_of;            /* PARTITION OF parent; name NULL if not */
	const char *partition_by;             /* PARTITION BY text, NULL if not */
	const char *partition_key;            /* the same as DDL: "RANGE (\"createdAt\")" */
	const char *partition_bound;          /* a partition's "FOR VALUES ..." or "DEFAULT" */
	struct qname *like;                   /* nr_like LIKE source tables */
	unsigned *like_options;               /* per LIKE: INCLUDING bits (LIKE_*) */
	int *like_pos;                        /* per LIKE: columns defined before it */
	struct select_item *as_items;         /* AS SELECT: its output list */
	struct from_item *as_from;            /* ... and the relations it reads */
	const char **as_names;                /* CREATE TABLE t (a, b) AS: names */
	int nr_columns;
	int nr_constraints;
	int nr_inherits;
	int nr_like;
	int nr_as_items;                      /* -1: its columns are not known */
	int nr_as_from;
	int nr_as_names;
	bool if_not_exists;
	bool temporary, unlogged;
	bool as_select;                       /* CREATE TABLE AS / SELECT INTO */
};

struct index_elem {
	const char *column;      /* NULL for an expression */
	struct expr *expr;       /* NULL for a plain column */
	const char *opclass;
	bool desc;
	int nulls;               /* 0 default, 1 first, 2 last */
};

struct index_def {
	const char *name;        /* NULL: generated */
	struct qname table;
	bool unique;
	bool concurrently;
	bool if_not_exists;
	bool only;               /* ON ONLY */
	const char *method;      /* lower case; "btree" when not given */
	struct index_elem *elems;
	int nr_elems;
	const char **include;
	int nr_include;
	struct expr *where;
	bool nulls_not_distinct;
};

enum alter_kind {
	AT_OTHER,               /* recognised, no schema effect we model */
	AT_ADD_COLUMN,
	AT_DROP_COLUMN,
	AT_ALTER_TYPE,
	AT_SET_DEFAULT,
	AT_DROP_DEFAULT,
	AT_SET_NOT_NULL,
	AT_DROP_NOT_NULL,
	AT_ADD_CONSTRAINT,
	AT_DROP_CONSTRAINT,
	AT_VALIDATE_CONSTRAINT,
	AT_ADD_IDENTITY,
	AT_DROP_IDENTITY,
	AT_SET_IDENTITY,
	AT_DROP_EXPRESSION,
	AT_ATTACH_PARTITION,
	AT_DETACH_PARTITION,
	AT_SET_SCHEMA,          /* handled as its own statement kind too */
	AT_ENABLE_RLS,
	AT_DISABLE_RLS,
	AT_FORCE_RLS,
	AT_NO_FORCE_RLS,
	AT_SET_TABLESPACE,
	AT_SET_LOGGED,
	AT_SET_UNLOGGED,
	AT_OWNER,
	AT_REPLICA_IDENTITY,
	AT_SET_STORAGE,         /* SET STATISTICS/STORAGE/(options): no-ops */
	AT_CLUSTER_ON,
	AT_ENABLE_TRIGGER,
	AT_DISABLE_TRIGGER,
	AT_INHERIT,
	AT_NO_INHERIT,
	AT_ATTACH_INDEX,        /* ALTER INDEX ... ATTACH PARTITION */
};

struct alter_cmd {
	enum alter_kind kind;
	const char *column;            /* target column, when there is one */
	const char *name;              /* constraint/partition/other object name */
	struct column_def *coldef;     /* ADD COLUMN */
	struct type_ref type;          /* ALTER TYPE: new type */
	const char *collation;         /* ALTER TYPE ... COLLATE, or NULL */
	struct expr *using_expr;       /* ALTER TYPE ... USING */
	struct expr *expr;             /* SET DEFAULT */
	struct constraint_def *con;    /* ADD CONSTRAINT */
	struct qname partition;        /* ATTACH/DETACH PARTITION */
	const char *partition_bound;   /* ATTACH's "FOR VALUES ..." or "DEFAULT" */
	enum identity_kind identity;   /* ADD IDENTITY */
	bool if_exists;                /* DROP COLUMN/CONSTRAINT IF EXISTS */
	bool if_not_exists;            /* ADD COLUMN IF NOT EXISTS */
	bool cascade;
	bool concurrently;             /* DETACH PARTITION CONCURRENTLY */
	size_t start;                  /* byte offset of the subcommand */
};

struct alter_table {
	struct qname rel;
	enum obj_kind relkind;         /* ALTER TABLE/INDEX/VIEW/SEQUENCE/... */
	bool if_exists;
	bool only;
	struct alter_cmd *cmds;
	int nr_cmds;
};

struct drop_stmt {
	enum obj_kind kind;
	struct qname *objects;         /* for OBJ_TRIGGER/OBJ_POLICY: name, and
	                                  'on' holds the table */
	int nr_objects;
	struct qname *on;              /* per object: the table (triggers, policies) */
	const char **signatures;       /* per object for functions: "(int4,text)"
	                                  or NULL when no argument list given */
	bool if_exists;
	bool cascade;
	bool concurrently;
};

struct rename_stmt {
	enum obj_kind kind;            /* what is renamed: TABLE, COLUMN,
	                                  CONSTRAINT, INDEX, VIEW, SEQUENCE,
	                                  SCHEMA, TYPE, TRIGGER, ... */
	enum obj_kind relkind;         /* for COLUMN/CONSTRAINT: ALTER TABLE vs VIEW ...;
	                                  OBJ_DOMAIN: a domain's constraint */
	struct qname rel;              /* the object, or the table owning it */
	const char *subname;           /* old column/constraint/trigger name */
	const char *newname;
	const char *signature;         /* FUNCTION/PROCEDURE: argument types
	                                  "(int4,text)", NULL when not given */
	bool if_exists;
};

struct truncate_stmt {
	struct qname *rels;
	int nr_rels;
	bool cascade;
	bool restart_identity;
};

struct create_schema {
	const char *name;
	bool if_not_exists;
};

struct create_view {
	struct qname name;
	bool temporary;              /* TEMP (not when only its reads make it so) */
	bool materialized;
	bool or_replace;
	bool if_not_exists;
	const char **columns;        /* explicit column names, else NULL */
	int nr_columns;
	struct qname *rels;          /* every relation the query reads */
	int nr_rels;
	const char **rel_columns;    /* every column name the query mentions */
	int nr_rel_columns;
	bool with_no_data;
	const char *query_text;      /* the SELECT, as written */
};

struct create_sequence {
	struct qname name;
	bool temporary;              /* CREATE TEMP SEQUENCE */
	bool if_not_exists;          /* ALTER SEQUENCE: IF EXISTS */
	struct qname owned_by_table; /* OWNED BY t.c */
	const char *owned_by_column;
	bool owned_by_none;          /* OWNED BY NONE */
	const char *as_type;
};

struct create_enum {
	struct qname name;
	const char **values;
	int nr_values;
};

struct alter_enum {
	struct qname name;
	const char *new_value;       /* ADD VALUE */
	const char *neighbor;        /* BEFORE/AFTER this value */
	bool after;
	bool if_not_exists;
	const char *old_value;       /* RENAME VALUE old TO new_value */
};

struct create_extension {
	const char *name;
	const char *schema;
	bool if_not_exists;
};

struct create_function {
	struct qname name;
	const char *signature;       /* "(int4,text)" of input argument types */
	bool or_replace;
	bool is_procedure;
	const char *language;
	const char *volatility;      /* "volatile", "stable", "immutable" */
};

struct create_trigger {
	const char *name;
	struct qname table;
	struct qname function;     /* EXECUTE FUNCTION f() */
	bool or_replace;
};

/* CREATE DOMAIN name AS type [NOT NULL] [DEFAULT e] [CHECK (...)] */
struct create_domain {
	struct qname name;
	struct type_ref type;
	bool not_null;
	struct expr *default_expr;
	struct constraint_def *constraints;  /* CHECKs, columns empty */
	int nr_constraints;
};

/* CREATE TYPE name AS (col type, ...) */
struct create_composite {
	struct qname name;
	struct column_def *columns;
	int nr_columns;
};

struct create_policy {
	const char *name;
	struct qname table;
	const char *command;         /* "all", "select", "insert", ... */
	bool restrictive;            /* AS RESTRICTIVE */
	struct expr *using_expr;     /* USING (...), NULL if absent */
	struct expr *check_expr;     /* WITH CHECK (...), NULL if absent */
};

struct dml_stmt {
	struct qname rel;
	bool has_where;
	bool has_returning;
	const char **set_columns;   /* UPDATE SET / INSERT column list */
	int nr_set_columns;
};

enum txn_kind {
	TXN_BEGIN,
	TXN_COMMIT,
	TXN_ROLLBACK,
	TXN_SAVEPOINT,
	TXN_RELEASE,
	TXN_ROLLBACK_TO,
	TXN_PREPARE,
	TXN_COMMIT_PREPARED,
	TXN_ROLLBACK_PREPARED,
};

struct set_stmt {
	const char *name;           /* lower case: "lock_timeout", "search_path" */
	const char **values;        /* as text: "'5s'" -> "5s" */
	int nr_values;
	bool local;
	bool reset;                 /* RESET name / SET name TO DEFAULT */
};

struct comment_stmt {
	enum obj_kind kind;
	struct qname obj;           /* for COLUMN: obj is the table */
	const char *subname;        /* COLUMN: the column */
	bool is_null;
};

struct maintenance_stmt {         /* VACUUM, CLUSTER, REINDEX, REFRESH */
	const char *what;           /* "vacuum full", "cluster", "reindex",
	                               "refresh materialized view" */
	struct qname *rels;
	int nr_rels;
	enum obj_kind relkind;      /* REINDEX INDEX vs TABLE */
	bool concurrently;
	bool full;
};

struct lock_stmt {              /* LOCK TABLE */
	struct qname *rels;
	bool *only;                 /* per relation: ONLY, its partitions
	                               left alone (NULL: nr_rels == 0) */
	int nr_rels;
	int mode;                   /* PostgreSQL's LOCKMODE: 1 ACCESS SHARE
	                               .. 8 ACCESS EXCLUSIVE, enum lock_mode's
	                               order (locks.h) */
	bool nowait;                /* fails rather than waits */
};

enum stmt_kind {
	ST_SYNTAX_ERROR,      /* did not parse; see error_* */
	ST_OTHER,             /* parsed, no schema effect we model (SELECT ...) */
	ST_CREATE_TABLE,
	ST_ALTER_TABLE,
	ST_CREATE_INDEX,
	ST_DROP,
	ST_RENAME,
	ST_TRUNCATE,
	ST_CREATE_SCHEMA,
	ST_CREATE_VIEW,
	ST_CREATE_SEQUENCE,
	ST_ALTER_SEQUENCE,
	ST_CREATE_ENUM,
	ST_ALTER_ENUM,
	ST_CREATE_DOMAIN,
	ST_CREATE_COMPOSITE,
	ST_CREATE_EXTENSION,
	ST_CREATE_FUNCTION,
	ST_CREATE_TRIGGER,
	ST_CREATE_POLICY,
	ST_ALTER_OBJECT_SCHEMA,   /* ALTER ... SET SCHEMA */
	ST_COMMENT,
	ST_GRANT,                 /* GRANT/REVOKE/ALTER DEFAULT PRIVILEGES */
	ST_OWNER,                 /* ALTER ... OWNER TO */
	ST_INSERT,
	ST_UPDATE,
	ST_DELETE,
	ST_TRANSACTION,
	ST_SET,
	ST_DO,                    /* DO block: unanalyzable */
	ST_MAINTENANCE,
	ST_DROP_DATABASE,
	ST_CREATE_DATABASE,
	ST_SELECT,                /* SELECT (possibly calling functions) */
	ST_LOCK,                  /* LOCK TABLE */
	ST_ALTER_DOMAIN,          /* ALTER DOMAIN (but RENAME, OWNER, SCHEMA) */
	ST_UNREADABLE,            /* parsed, but nested too deeply to read:
				     u.error.message says so */
};

struct stmt {
	enum stmt_kind kind;
	const char *node;         /* libpg_query node name, e.g. "AlterTableStmt" */
	size_t start, end;        /* byte span [start, end) in the file,
	                             trimmed of surrounding space and comments,
	                             without the terminating ';' */
	union {
		struct create_table create_table;
		struct alter_table alter_table;
		struct index_def index;
		struct drop_stmt drop;
		struct rename_stmt rename;
		struct truncate_stmt truncate;
		struct create_schema create_schema;
		struct create_view view;
		struct create_sequence sequence;
		struct create_enum create_enum;
		struct alter_enum alter_enum;
		struct create_extension extension;
		struct create_function function;
		struct create_trigger trigger;
		struct create_domain domain;
		struct create_composite composite;
		struct create_policy policy;
		struct dml_stmt dml;
		struct set_stmt set;
		struct comment_stmt comment;
		struct maintenance_stmt maint;
		struct lock_stmt lock;
		struct {
			struct qname name;
			char subtype;           /* PostgreSQL's: 'C' ADD CONSTRAINT,
			                           'X' DROP CONSTRAINT, 'T' DEFAULT,
			                           'N'/'O' DROP/SET NOT NULL, 'V'
			                           VALIDATE */
			const char *con_name;   /* 'X', 'V': the constraint */
			bool missing_ok;        /* 'X': IF EXISTS */
			struct constraint_def *con;  /* 'C': a CHECK (else NULL) */
			struct expr *default_expr;   /* 'T': NULL for DROP DEFAULT */
		} alter_domain;
		struct {
			enum txn_kind kind;
		} txn;
		struct {
			const char *body;       /* the code, NULL if absent */
			const char *language;   /* lower case; NULL: plpgsql */
			/* PL/pgSQL: parse_do_block()'s result, worked out
			   with the file (on the thread that parsed it) */
			bool parsed;
			int nr_static;          /* its return: -1 unparsable */
			bool dynamic;
			struct stmt_list *inner;  /* its statements; in the
			                             arena, released with it */
		} do_block;
		struct {
			const char *name;
		} database;
		struct {
			enum obj_kind kind;
			struct qname obj;
			const char *new_schema;
			bool if_exists;
		} set_schema;
		struct {                  /* ST_SYNTAX_ERROR, ST_UNREADABLE */
			const char *message;    /* the parser's; why migsafe
						   cannot read the statement */
			size_t offset;          /* byte offset of the parser's
						   cursor */
		} error;
	} u;
	/* start and end as line/column, and source_fingerprint(): by
	   stmt_list_place(), on the thread that read the file when it
	   parsed it there */
	struct {
		int line, col, end_line, end_col;
		uint64_t hash;
	} place;
};

/*
 * The statements of one file, in order. Comments are recorded too, so
 * suppression directives can be matched to statements.
 */
struct sql_comment {
	size_t start, end;         /* byte span including the comment markers */
	const char *text;          /* contents without markers, trimmed */
};

struct stmt_list {
	struct arena arena;        /* owns every pointer below */
	struct stmt *stmts;        /* arena */
	int nr;
	struct sql_comment *comments;
	int nr_comments;
};

void stmt_list_init(struct stmt_list *l);
void stmt_list_release(struct stmt_list *l);

/*
 * Fill each statement's place (the line and column of its ends, its
 * source_fingerprint()) from 'src', the text the list was made from.
 */
void stmt_list_place(struct stmt_list *l, const struct source_file *src);

const char *obj_kind_name(enum obj_kind k);   /* "table", "index", ... */

/* COMMIT, ROLLBACK or PREPARE TRANSACTION: the block it was in is over.
   Inline: rules test it on every statement of a transaction. */
static inline bool stmt_ends_block(const struct stmt *st)
{
	return st->kind == ST_TRANSACTION &&
	       (st->u.txn.kind == TXN_COMMIT || st->u.txn.kind == TXN_ROLLBACK ||
		st->u.txn.kind == TXN_PREPARE);
}

#endif
