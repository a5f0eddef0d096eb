-- pg_catalog.sql - read a real PostgreSQL database's schema back in the
-- shape of `migsafe inspect --format json` (docs/inspect-json.md), as one
-- JSON document. Used by tests/t_pg_oracle.py; run it with
--   psql -X -q -A -t -v ON_ERROR_STOP=1 -f tests/pg_catalog.sql
--
-- Left out: the system schemas, objects that belong to an extension
-- (pg_depend deptype 'e'), the extension every database starts with
-- (plpgsql), and the migration tools' own bookkeeping tables (with the
-- sequences, triggers and policies that hang off them).
--
-- format_type() qualifies a type that is not visible on the search path,
-- so the path is pinned to what a fresh session has: types in public are
-- bare (`mood`), types elsewhere qualified (`app.mood`).
SET search_path = public;

WITH
ns AS (
	SELECT n.oid, n.nspname FROM pg_namespace n
	WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
	  AND n.nspname !~ '^pg_(toast_)?temp_'
	  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass
	                  AND d.objid = n.oid AND d.deptype = 'e')
),
ext_member AS (
	SELECT d.classid, d.objid FROM pg_depend d WHERE d.deptype = 'e'
),
rel AS (
	SELECT c.oid, c.relname, c.relkind, n.nspname, c.relrowsecurity, c.relispartition
	FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
	WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
	  AND NOT EXISTS (SELECT 1 FROM ext_member e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid)
	  AND NOT (c.relkind IN ('r', 'p') AND c.relname IN ('schema_migrations', 'goose_db_version',
	           'flyway_schema_history', '__diesel_schema_migrations', '_prisma_migrations',
	           'atlas_schema_revisions'))
),
tbl AS (SELECT * FROM rel WHERE relkind IN ('r', 'p', 'f')),
tables AS (
	SELECT t.nspname, t.relname, json_build_object(
		'schema', t.nspname,
		'name', t.relname,
		'kind', CASE t.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table'
		                       ELSE 'foreign table' END,
		'partition_of', (SELECT pn.nspname || '.' || pc.relname
		                 FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent
		                 JOIN pg_namespace pn ON pn.oid = pc.relnamespace
		                 WHERE i.inhrelid = t.oid AND t.relispartition),
		'columns', (SELECT coalesce(json_agg(json_build_object(
				'name', a.attname,
				'type', format_type(a.atttypid, a.atttypmod),
				'not_null', a.attnotnull,
				'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,
				'identity', CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,
				'generated', CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,
				'collation', (SELECT cn.collname FROM pg_collation cn JOIN pg_type ty ON ty.oid = a.atttypid
				              WHERE cn.oid = a.attcollation AND a.attcollation <> ty.typcollation))
				ORDER BY a.attnum), '[]')
			FROM pg_attribute a
			LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
			WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped),
		'primary_key', (SELECT json_build_object('name', co.conname, 'columns',
				(SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(co.conkey) WITH ORDINALITY k(attnum, ord)
				 JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum))
			FROM pg_constraint co WHERE co.conrelid = t.oid AND co.contype = 'p'),
		'unique', (SELECT coalesce(json_agg(json_build_object('name', co.conname, 'columns',
				(SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(co.conkey) WITH ORDINALITY k(attnum, ord)
				 JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum))
				ORDER BY co.conname COLLATE "C"), '[]')
			FROM pg_constraint co WHERE co.conrelid = t.oid AND co.contype = 'u'),
		'checks', (SELECT coalesce(json_agg(json_build_object('name', co.conname,
				'expression', regexp_replace(pg_get_constraintdef(co.oid, true),
				                             '^CHECK \((.*)\)( NOT VALID)?$', '\1'),
				'validated', co.convalidated)
				ORDER BY co.conname COLLATE "C"), '[]')
			FROM pg_constraint co WHERE co.conrelid = t.oid AND co.contype = 'c'),
		-- A foreign key that references a partitioned table has, on the
		-- referencing table, one hidden clone per referenced partition
		-- (conparentid set, same conrelid as its parent); those are
		-- PostgreSQL's bookkeeping, not constraints anyone declared.
		'foreign_keys', (SELECT coalesce(json_agg(json_build_object(
				'name', co.conname,
				'columns', (SELECT json_agg(a.attname ORDER BY k.ord)
				            FROM unnest(co.conkey) WITH ORDINALITY k(attnum, ord)
				            JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum),
				'ref_table', (SELECT rn.nspname || '.' || rc.relname FROM pg_class rc
				              JOIN pg_namespace rn ON rn.oid = rc.relnamespace WHERE rc.oid = co.confrelid),
				'ref_columns', (SELECT json_agg(a.attname ORDER BY k.ord)
				                FROM unnest(co.confkey) WITH ORDINALITY k(attnum, ord)
				                JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum),
				'on_delete', CASE co.confdeltype WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict'
				             WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' END,
				'on_update', CASE co.confupdtype WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict'
				             WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' END,
				'validated', co.convalidated)
				ORDER BY co.conname COLLATE "C"), '[]')
			FROM pg_constraint co WHERE co.conrelid = t.oid AND co.contype = 'f'
			  AND NOT EXISTS (SELECT 1 FROM pg_constraint pco
			                  WHERE pco.oid = co.conparentid AND pco.conrelid = co.conrelid)),
		'indexes', (SELECT coalesce(json_agg(json_build_object(
				'name', ic.relname,
				'columns', (SELECT coalesce(json_agg(CASE WHEN k.attnum <> 0 THEN a.attname::text
				                                     ELSE pg_get_indexdef(ix.indexrelid, k.ord::int, true) END
				                                     ORDER BY k.ord), '[]')
				            FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
				            LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
				            WHERE k.ord <= ix.indnkeyatts),
				'include', (SELECT coalesce(json_agg(a.attname ORDER BY k.ord), '[]')
				            FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
				            JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
				            WHERE k.ord > ix.indnkeyatts),
				'unique', ix.indisunique,
				'primary', ix.indisprimary,
				'method', am.amname,
				'predicate', pg_get_expr(ix.indpred, ix.indrelid, true),
				'nulls_not_distinct', ix.indnullsnotdistinct)
				ORDER BY ic.relname COLLATE "C"), '[]')
			FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid
			JOIN pg_am am ON am.oid = ic.relam
			WHERE ix.indrelid = t.oid),
		'rls_enabled', t.relrowsecurity) AS j
	FROM tbl t
),
views AS (
	SELECT v.nspname, v.relname, json_build_object(
		'schema', v.nspname, 'name', v.relname, 'materialized', v.relkind = 'm',
		'depends_on', (SELECT coalesce(json_agg(DISTINCT dn.nspname || '.' || dc.relname), '[]')
		               FROM pg_rewrite rw
		               JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
		                                AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> v.oid
		               JOIN pg_class dc ON dc.oid = d.refobjid
		               JOIN pg_namespace dn ON dn.oid = dc.relnamespace
		               WHERE rw.ev_class = v.oid)) AS j
	FROM rel v WHERE v.relkind IN ('v', 'm')
),
sequences AS (
	SELECT s.nspname, s.relname, json_build_object(
		'schema', s.nspname, 'name', s.relname,
		'owned_by', (SELECT tn.nspname || '.' || tc.relname || '.' || a.attname
		             FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid
		             JOIN pg_namespace tn ON tn.oid = tc.relnamespace
		             JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
		             WHERE d.classid = 'pg_class'::regclass AND d.objid = s.oid
		               AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
		               AND d.deptype IN ('a', 'i')
		             LIMIT 1)) AS j
	FROM rel s WHERE s.relkind = 'S'
	  -- sequences owned by a left-out bookkeeping table go with it
	  AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid
	                  WHERE d.classid = 'pg_class'::regclass AND d.objid = s.oid
	                    AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
	                    AND NOT EXISTS (SELECT 1 FROM tbl WHERE tbl.oid = tc.oid))
),
types AS (
	SELECT n.nspname, ty.typname, json_build_object(
		'schema', n.nspname, 'name', ty.typname,
		'kind', CASE ty.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain'
		                        WHEN 'c' THEN 'composite' WHEN 'r' THEN 'range' END,
		'values', (SELECT coalesce(json_agg(e.enumlabel ORDER BY e.enumsortorder), '[]')
		           FROM pg_enum e WHERE e.enumtypid = ty.oid),
		'not_null', CASE WHEN ty.typtype = 'd' THEN ty.typnotnull END,
		'checks', CASE WHEN ty.typtype = 'd' THEN
		          (SELECT coalesce(json_agg(json_build_object('name', k.conname,
		                                    'validated', k.convalidated) ORDER BY k.conname), '[]')
		           FROM pg_constraint k WHERE k.contypid = ty.oid AND k.contype = 'c') END) AS j
	FROM pg_type ty JOIN ns n ON n.oid = ty.typnamespace
	WHERE (ty.typtype IN ('e', 'd', 'r')
	       OR (ty.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = ty.typrelid) = 'c'))
	  AND NOT EXISTS (SELECT 1 FROM ext_member e WHERE e.classid = 'pg_type'::regclass AND e.objid = ty.oid)
),
functions AS (
	SELECT n.nspname, p.proname, oidvectortypes(p.proargtypes) AS args, json_build_object(
		'schema', n.nspname, 'name', p.proname,
		'signature', '(' || oidvectortypes(p.proargtypes) || ')',
		'kind', CASE p.prokind WHEN 'f' THEN 'function' WHEN 'p' THEN 'procedure'
		                       WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window' END) AS j
	FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace
	WHERE NOT EXISTS (SELECT 1 FROM ext_member e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid)
),
triggers AS (
	SELECT t.nspname, t.relname, tg.tgname, json_build_object(
		'table', t.nspname || '.' || t.relname, 'name', tg.tgname) AS j
	FROM pg_trigger tg JOIN rel t ON t.oid = tg.tgrelid
	WHERE NOT tg.tgisinternal AND t.relkind IN ('r', 'p', 'f', 'v', 'm')
),
policies AS (
	SELECT t.nspname, t.relname, po.polname, json_build_object(
		'table', t.nspname || '.' || t.relname, 'name', po.polname) AS j
	FROM pg_policy po JOIN tbl t ON t.oid = po.polrelid
)
SELECT json_build_object(
	'version', 1,
	'schemas', (SELECT coalesce(json_agg(nspname ORDER BY nspname COLLATE "C"), '[]') FROM ns),
	'tables', (SELECT coalesce(json_agg(j ORDER BY nspname COLLATE "C", relname COLLATE "C"), '[]') FROM tables),
	'views', (SELECT coalesce(json_agg(j ORDER BY nspname COLLATE "C", relname COLLATE "C"), '[]') FROM views),
	'sequences', (SELECT coalesce(json_agg(j ORDER BY nspname COLLATE "C", relname COLLATE "C"), '[]') FROM sequences),
	'types', (SELECT coalesce(json_agg(j ORDER BY nspname COLLATE "C", typname COLLATE "C"), '[]') FROM types),
	'extensions', (SELECT coalesce(json_agg(x.extname ORDER BY x.extname COLLATE "C"), '[]')
	               FROM pg_extension x WHERE x.extname <> 'plpgsql'),
	'functions', (SELECT coalesce(json_agg(j ORDER BY nspname COLLATE "C", proname COLLATE "C", args COLLATE "C"), '[]')
	              FROM functions),
	'triggers', (SELECT coalesce(json_agg(j ORDER BY nspname COLLATE "C", relname COLLATE "C", tgname COLLATE "C"), '[]')
	             FROM triggers),
	'policies', (SELECT coalesce(json_agg(j ORDER BY nspname COLLATE "C", relname COLLATE "C", polname COLLATE "C"), '[]')
	             FROM policies));
