#!/usr/bin/env python3
"""Generate a synthetic golang-migrate history for the benchmark.

    python3 bench/gen_history.py [--files N] [--statements N] [--seed S] OUTDIR

Writes OUTDIR/NNNNNN_name.up.sql (+ a short .down.sql, as golang-migrate
projects have; discovery must skip them) holding exactly --statements
statements in --files up files (default 1,000 files, 20 statements per
file). The same seed always gives the same bytes.

The mix imitates a long-lived application schema: tables created with
identity/serial primary keys, foreign keys (inline and as constraints,
some NOT VALID then VALIDATE), columns added, defaults and types changed,
indexes (plain, unique, partial, multi-column; CREATE INDEX CONCURRENTLY
alone in its own file, because it cannot run in a transaction), renames,
a few drops, COMMENT ON, data fixes (INSERT/UPDATE), enums, views, DO
blocks, and -- comments between statements. The generator keeps a model
of the schema so almost every statement applies cleanly: a replaying
linter does its normal work, not error handling.

Prints one line to stdout: "files statements bytes".
"""

import argparse
import os
import random
import sys

NOUNS = ("user account order item product invoice payment shipment address "
         "customer session token event audit job task project team member "
         "comment review tag category price coupon cart refund subscription "
         "plan feature webhook message notification device report metric "
         "upload document folder permission role group setting ledger entry").split()
ADJS = ("legacy archived pending daily external internal primary billing "
        "public shared user_ temp core").split()
COLWORDS = ("name title status kind code email phone note description label "
            "amount quantity total score rank position count flags source "
            "external_ref slug locale currency region version checksum").split()
TYPES = [("text", 30), ("varchar(255)", 10), ("integer", 12), ("bigint", 10),
         ("boolean", 8), ("timestamptz", 12), ("jsonb", 5), ("numeric(12,2)", 6),
         ("date", 3), ("uuid", 4)]
DEFAULTS = {"text": "''", "varchar(255)": "''", "integer": "0", "bigint": "0",
            "boolean": "false", "timestamptz": "now()", "jsonb": "'{}'::jsonb",
            "numeric(12,2)": "0", "date": "CURRENT_DATE", "uuid": None}

# (kind, weight) for the statements of an ordinary file
MIX = [("create_table", 6), ("add_column", 22), ("add_fk", 6), ("add_check", 3),
       ("add_unique", 2), ("create_index", 14), ("alter_default", 5),
       ("alter_type", 2), ("drop_not_null", 2), ("set_not_null", 1),
       ("rename_column", 2), ("rename_table", 1), ("comment", 8),
       ("insert", 6), ("update", 4), ("drop_index", 2), ("drop_column", 2),
       ("drop_table", 1), ("create_enum", 1), ("add_enum_value", 1),
       ("create_view", 2), ("do_block", 2), ("create_function", 1),
       ("create_trigger", 1)]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    r = rng.uniform(0, total)
    for v, w in pairs:
        r -= w
        if r <= 0:
            return v
    return pairs[-1][0]


class Table:
    def __init__(self, name):
        self.name = name
        self.cols = {}          # name -> type
        self.indexes = []       # names
        self.constraints = []
        self.pinned = set()     # columns a view depends on
        self.referenced = 0     # foreign keys and views pointing here
        self.required = set()   # NOT NULL without a default: INSERTs need them


class Schema:
    def __init__(self, rng):
        self.rng = rng
        self.tables = {}
        self.enums = {}         # name -> values
        self.functions = []
        self.seq = 0

    def uniq(self, base):
        self.seq += 1
        return f"{base}_{self.seq}"

    def table(self):
        return self.tables[self.rng.choice(list(self.tables))] if self.tables else None

    def table_with_cols(self, min_cols=2):
        for _ in range(8):
            t = self.table()
            if t and len(t.cols) >= min_cols:
                return t
        return None


class Gen:
    def __init__(self, rng):
        self.rng = rng
        self.s = Schema(rng)
        self.tables_list_cache = None

    # --- helpers -------------------------------------------------------
    def coltype(self):
        return weighted(self.rng, TYPES)

    def colname(self, t):
        for _ in range(20):
            n = self.rng.choice(COLWORDS)
            if self.rng.random() < 0.5:
                n = f"{self.rng.choice(ADJS).rstrip('_')}_{n}"
            if n not in t.cols:
                return n
        return self.s.uniq("col")

    def other_col(self, t):
        cols = [c for c in t.cols if c != "id"]
        return self.rng.choice(cols) if cols else None

    # --- statements ----------------------------------------------------
    def create_table(self):
        rng = self.rng
        name = self.s.uniq(f"{rng.choice(ADJS).rstrip('_')}_{rng.choice(NOUNS)}s"
                           if rng.random() < 0.3 else f"{rng.choice(NOUNS)}s")
        t = Table(name)
        pk = rng.choice(["bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
                         "bigserial PRIMARY KEY", "bigint GENERATED BY DEFAULT AS "
                         "IDENTITY PRIMARY KEY", "serial PRIMARY KEY"])
        lines = [f"    id {pk}"]
        t.cols["id"] = "bigint"
        for _ in range(rng.randint(0, 2)):
            ref = self.s.table()
            if not ref or ref is t:
                break
            c = f"{ref.name[:40]}_id"
            if c in t.cols:
                continue
            action = rng.choice(["", "", " ON DELETE CASCADE", " ON DELETE SET NULL"])
            nn = " NOT NULL" if action != " ON DELETE SET NULL" and rng.random() < 0.6 else ""
            lines.append(f"    {c} bigint{nn} REFERENCES {ref.name} (id){action}")
            ref.referenced += 1
            if nn:
                t.required.add(c)
            t.cols[c] = "bigint"
        for _ in range(rng.randint(2, 8)):
            c, ty = self.colname(t), self.coltype()
            extra = ""
            if rng.random() < 0.4 and DEFAULTS[ty]:
                extra = f" NOT NULL DEFAULT {DEFAULTS[ty]}"
            elif rng.random() < 0.2:
                extra = " NOT NULL"
                t.required.add(c)
            lines.append(f"    {c} {ty}{extra}")
            t.cols[c] = ty
        lines.append("    created_at timestamptz NOT NULL DEFAULT now()")
        t.cols["created_at"] = "timestamptz"
        if rng.random() < 0.3:
            lines.append("    updated_at timestamptz")
            t.cols["updated_at"] = "timestamptz"
        if rng.random() < 0.2:
            c = self.other_col(t)
            if c and t.cols[c] in ("integer", "bigint", "numeric(12,2)"):
                cn = f"{name}_{c}_check"[:63]
                lines.append(f"    CONSTRAINT {cn} CHECK ({c} >= 0)")
                t.constraints.append(cn)
        self.s.tables[name] = t
        return "CREATE TABLE " + name + " (\n" + ",\n".join(lines) + "\n);"

    def add_column(self):
        t = self.s.table()
        if not t:
            return self.create_table()
        c, ty = self.colname(t), self.coltype()
        r = self.rng.random()
        if r < 0.5 or not DEFAULTS[ty]:
            tail = ""
        elif r < 0.85:
            tail = f" NOT NULL DEFAULT {DEFAULTS[ty]}"
        else:
            tail = f" DEFAULT {DEFAULTS[ty]}"
        t.cols[c] = ty
        ine = "IF NOT EXISTS " if self.rng.random() < 0.1 else ""
        return f"ALTER TABLE {t.name} ADD COLUMN {ine}{c} {ty}{tail};"

    def add_fk(self):
        t, ref = self.s.table(), self.s.table()
        if not t or not ref or t is ref:
            return self.add_column()
        c = f"{ref.name[:40]}_id"
        out = []
        if c in t.cols:             # already a foreign key (inline REFERENCES)
            return self.add_column()
        if c not in t.cols:
            out.append(f"ALTER TABLE {t.name} ADD COLUMN {c} bigint;")
            t.cols[c] = "bigint"
        cn = f"{t.name}_{c}_fkey"[:63]
        if cn in t.constraints:
            return out[0] if out else self.add_column()
        t.constraints.append(cn)
        ref.referenced += 1
        if self.rng.random() < 0.5:
            out.append(f"ALTER TABLE {t.name} ADD CONSTRAINT {cn} FOREIGN KEY ({c}) "
                       f"REFERENCES {ref.name} (id) NOT VALID;")
            out.append(f"ALTER TABLE {t.name} VALIDATE CONSTRAINT {cn};")
        else:
            out.append(f"ALTER TABLE {t.name} ADD CONSTRAINT {cn} FOREIGN KEY ({c}) "
                       f"REFERENCES {ref.name} (id) ON DELETE CASCADE;")
        return out

    def add_check(self):
        t = self.s.table_with_cols()
        if not t:
            return self.add_column()
        c = self.other_col(t)
        cn = self.s.uniq(f"{t.name[:40]}_chk")
        t.constraints.append(cn)
        cond = f"{c} IS NOT NULL" if t.cols[c] not in ("integer", "bigint") else f"{c} >= 0"
        nv = " NOT VALID" if self.rng.random() < 0.5 else ""
        return f"ALTER TABLE {t.name} ADD CONSTRAINT {cn} CHECK ({cond}){nv};"

    def add_unique(self):
        t = self.s.table_with_cols()
        if not t:
            return self.add_column()
        c = self.other_col(t)
        cn = self.s.uniq(f"{t.name[:40]}_{c[:15]}_key")
        t.constraints.append(cn)
        return f"ALTER TABLE {t.name} ADD CONSTRAINT {cn} UNIQUE ({c});"

    def create_index(self, concurrently=False):
        t = self.s.table_with_cols()
        if not t:
            return self.create_table()
        rng = self.rng
        cols = [c for c in t.cols if c != "id"]
        pick = rng.sample(cols, min(len(cols), rng.choice([1, 1, 1, 2, 2, 3])))
        name = self.s.uniq(f"idx_{t.name[:30]}_{pick[0][:20]}")
        t.indexes.append(name)
        using = " USING gin" if len(pick) == 1 and t.cols[pick[0]] == "jsonb" else ""
        uniq = "UNIQUE " if rng.random() < 0.15 and not using else ""
        conc = "CONCURRENTLY " if concurrently else ""
        ine = "IF NOT EXISTS " if rng.random() < 0.2 else ""
        where = ""
        if rng.random() < 0.1 and "created_at" in t.cols:
            where = " WHERE created_at IS NOT NULL"
        return (f"CREATE {uniq}INDEX {conc}{ine}{name} ON {t.name}{using} "
                f"({', '.join(pick)}){where};")

    def alter_default(self):
        t = self.s.table_with_cols()
        if not t:
            return self.add_column()
        c = self.other_col(t)
        d = DEFAULTS.get(t.cols[c])
        if d is None or self.rng.random() < 0.25:
            return f"ALTER TABLE {t.name} ALTER COLUMN {c} DROP DEFAULT;"
        return f"ALTER TABLE {t.name} ALTER COLUMN {c} SET DEFAULT {d};"

    def alter_type(self):
        t = self.s.table_with_cols()
        if not t:
            return self.add_column()
        for c, ty in t.cols.items():
            if c in t.pinned:           # PostgreSQL refuses: a view uses it
                continue
            if ty == "varchar(255)":
                t.cols[c] = "text"
                return f"ALTER TABLE {t.name} ALTER COLUMN {c} TYPE text;"
            if ty == "integer":
                t.cols[c] = "bigint"
                return f"ALTER TABLE {t.name} ALTER COLUMN {c} TYPE bigint;"
        return self.add_column()

    def drop_not_null(self):
        t = self.s.table_with_cols()
        if not t:
            return self.add_column()
        c = self.other_col(t)
        t.required.discard(c)
        return f"ALTER TABLE {t.name} ALTER COLUMN {c} DROP NOT NULL;"

    def set_not_null(self):
        t = self.s.table_with_cols()
        if not t:
            return self.add_column()
        c = self.other_col(t)
        t.required.add(c)
        return f"ALTER TABLE {t.name} ALTER COLUMN {c} SET NOT NULL;"

    def rename_column(self):
        t = self.s.table_with_cols(3)
        if not t:
            return self.add_column()
        c = self.other_col(t)
        if c.endswith("_id") or c in t.pinned:
            return self.add_column()
        new = self.colname(t)
        t.cols[new] = t.cols.pop(c)
        if c in t.required:
            t.required.discard(c)
            t.required.add(new)
        return f"ALTER TABLE {t.name} RENAME COLUMN {c} TO {new};"

    def rename_table(self):
        t = self.s.table()
        if not t:
            return self.create_table()
        new = self.s.uniq(t.name.rsplit("_", 1)[0] + "_v")
        del self.s.tables[t.name]
        old, t.name = t.name, new
        self.s.tables[new] = t
        return f"ALTER TABLE {old} RENAME TO {new};"

    def comment(self):
        t = self.s.table_with_cols()
        if not t:
            return self.add_column()
        if self.rng.random() < 0.5:
            return f"COMMENT ON TABLE {t.name} IS 'Holds the {t.name} of an account; see docs.';"
        c = self.other_col(t)
        return f"COMMENT ON COLUMN {t.name}.{c} IS 'The {c.replace('_', ' ')}, as shown to users.';"

    def insert(self):
        t = self.s.table_with_cols()
        if not t:
            return self.create_table()
        cols = [c for c, ty in t.cols.items() if ty in ("text", "varchar(255)")][:2]
        if not cols or t.required - set(cols):
            return self.update()
        rows = ", ".join("(" + ", ".join(f"'{self.rng.choice(NOUNS)}-{i}'" for _ in cols) + ")"
                         for i in range(self.rng.randint(1, 5)))
        return f"INSERT INTO {t.name} ({', '.join(cols)}) VALUES {rows};"

    def update(self):
        t = self.s.table_with_cols()
        if not t:
            return self.add_column()
        c = self.other_col(t)
        d = DEFAULTS.get(t.cols[c]) or "NULL"
        return f"UPDATE {t.name} SET {c} = {d} WHERE {c} IS NULL;"

    def drop_index(self):
        for _ in range(5):
            t = self.s.table()
            if t and t.indexes:
                ix = t.indexes.pop(self.rng.randrange(len(t.indexes)))
                return f"DROP INDEX IF EXISTS {ix};"
        return self.create_index()

    def drop_column(self):
        t = self.s.table_with_cols(4)
        if not t:
            return self.add_column()
        c = self.other_col(t)
        if c.endswith("_id") or c in ("created_at",) or c in t.pinned:
            return self.add_column()
        del t.cols[c]
        t.required.discard(c)
        # PostgreSQL drops indexes on the column; forget them all, simply
        t.indexes = [i for i in t.indexes if c[:20] not in i]
        return f"ALTER TABLE {t.name} DROP COLUMN {c};"

    def drop_table(self):
        t = self.s.table()
        if not t or len(self.s.tables) < 20:
            return self.create_table()
        if t.referenced:            # PostgreSQL would refuse without CASCADE
            return self.add_column()
        del self.s.tables[t.name]
        return f"DROP TABLE {t.name};"

    def create_enum(self):
        name = self.s.uniq(f"{self.rng.choice(NOUNS)}_status")
        vals = ["active", "inactive", "pending"]
        self.s.enums[name] = vals
        return f"CREATE TYPE {name} AS ENUM ({', '.join(repr(v) for v in vals)});"

    def add_enum_value(self):
        if not self.s.enums:
            return self.create_enum()
        name = self.rng.choice(list(self.s.enums))
        v = f"state_{len(self.s.enums[name])}"
        self.s.enums[name].append(v)
        return f"ALTER TYPE {name} ADD VALUE IF NOT EXISTS '{v}';"

    def create_view(self):
        t = self.s.table_with_cols(3)
        if not t:
            return self.create_table()
        cols = ", ".join(c for c in list(t.cols)[:4])
        t.pinned.update(list(t.cols)[:4])
        t.referenced += 1
        name = self.s.uniq(f"{t.name[:40]}_view")
        where = ""
        if "created_at" in t.cols:
            t.pinned.add("created_at")
            where = "\n    WHERE created_at > now() - interval '30 days'"
        return f"CREATE OR REPLACE VIEW {name} AS\n    SELECT {cols}\n    FROM {t.name}{where};"

    def do_block(self):
        t = self.s.table_with_cols()
        if not t:
            return self.create_table()
        c = self.other_col(t)
        if self.rng.random() < 0.5:
            return ("DO $$\nBEGIN\n"
                    f"    IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = '{t.name}') THEN\n"
                    f"        RAISE NOTICE 'table {t.name} is missing';\n"
                    "    END IF;\nEND\n$$;")
        return ("DO $$\nDECLARE\n    r record;\nBEGIN\n"
                f"    FOR r IN SELECT id FROM {t.name} LOOP\n"
                f"        UPDATE {t.name} SET {c} = {c} WHERE id = r.id;\n"
                "    END LOOP;\nEND\n$$;")

    def create_function(self):
        name = self.s.uniq("touch_updated_at")
        self.s.functions.append(name)
        return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger\n"
                "LANGUAGE plpgsql AS $fn$\nBEGIN\n    NEW.updated_at := now();\n"
                "    RETURN NEW;\nEND;\n$fn$;")

    def create_trigger(self):
        ts = [t for t in list(self.s.tables.values())[-50:] if "updated_at" in t.cols]
        if not self.s.functions or not ts:
            return self.create_function()
        t = self.rng.choice(ts)
        name = self.s.uniq(f"trg_{t.name[:40]}_touch")
        return (f"CREATE TRIGGER {name} BEFORE UPDATE ON {t.name}\n"
                f"    FOR EACH ROW EXECUTE FUNCTION {self.rng.choice(self.s.functions)}();")

    def statements(self, kind):
        out = getattr(self, kind)()
        return out if isinstance(out, list) else [out]


def file_body(gen, n):
    """n statements (exactly) with comments between some of them."""
    rng = gen.rng
    stmts = []
    while len(stmts) < n:
        kind = weighted(rng, MIX)
        for st in gen.statements(kind):
            if len(stmts) < n:
                stmts.append(st)
    parts = [f"-- {rng.choice(['Add', 'Change', 'Backfill', 'Index', 'Clean up'])} "
             f"{rng.choice(NOUNS)} data for release {rng.randint(1, 40)}.{rng.randint(0, 20)}"]
    for st in stmts:
        if rng.random() < 0.15:
            parts.append(f"-- {rng.choice(NOUNS)}: see ticket #{rng.randint(100, 99999)}")
        parts.append(st)
    return "\n".join(parts) + "\n", stmts


def generate(outdir, nfiles, nstmts, seed):
    rng = random.Random(seed)
    gen = Gen(rng)
    os.makedirs(outdir, exist_ok=True)
    conc = set(i for i in range(1, nfiles) if rng.random() < 0.03)
    rest = nstmts - len(conc)
    regular = nfiles - len(conc)
    base = rest // regular
    counts = []
    for i in range(regular):
        counts.append(max(1, base + rng.randint(-base // 2, base // 2)))
    diff = rest - sum(counts)
    i = 0
    while diff:                      # adjust to hit the total exactly
        step = 1 if diff > 0 else -1
        if counts[i % regular] + step >= 1:
            counts[i % regular] += step
            diff -= step
        i += 1
    total_bytes = written = 0
    ci = 0
    width = max(6, len(str(nfiles)))
    for i in range(nfiles):
        if i in conc:
            st = gen.create_index(concurrently=True)
            body, name = f"-- Build the index without blocking writes.\n{st}\n", "concurrent_index"
        else:
            body, stmts = file_body(gen, counts[ci])
            ci += 1
            name = f"{rng.choice(['add', 'create', 'alter', 'update', 'change'])}_{rng.choice(NOUNS)}s"
        stem = f"{i + 1:0{width}d}_{name}"
        with open(os.path.join(outdir, stem + ".up.sql"), "w") as f:
            f.write(body)
        with open(os.path.join(outdir, stem + ".down.sql"), "w") as f:
            f.write("-- irreversible: restore from backup\nSELECT 1;\n")
        total_bytes += len(body.encode())
        written += 1
    return written, nstmts, total_bytes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--statements", type=int, default=None,
                    help="total statements (default: 20 per file)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    nst = a.statements if a.statements is not None else a.files * 20
    if nst < a.files:
        sys.exit("gen_history: need at least one statement per file")
    f, s, b = generate(a.outdir, a.files, nst, a.seed)
    print(f, s, b)


if __name__ == "__main__":
    main()
