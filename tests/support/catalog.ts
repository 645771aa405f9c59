import { type Kysely, sql } from 'kysely';

// The schema as PostgreSQL itself reports it, for comparison with the seed document.

export interface CatalogColumn {
  table: string;
  name: string;
  dataType: string;
  maxLength: number | null;
  default: string | null;
  nullable: boolean;
}

export interface CatalogConstraint {
  table: string;
  name: string;
  /** p primary key, u unique, c check, f foreign key. */
  kind: 'p' | 'u' | 'c' | 'f';
  columns: string[];
  definition: string;
  refTable: string | null;
  refColumns: string[];
  /** ON DELETE of a foreign key: a no action, r restrict, c cascade, n set null, d default. */
  onDelete: string;
}

export interface CatalogIndex {
  table: string;
  name: string;
  columns: string[];
  unique: boolean;
  predicate: string | null;
  definition: string;
}

export interface Catalog {
  tables: string[];
  columns: CatalogColumn[];
  constraints: CatalogConstraint[];
  indexes: CatalogIndex[];
}

/** Kysely's own bookkeeping tables, not part of the library's schema. */
export const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'];

/** Reads tables, columns, constraints and indexes of the public schema. */
export async function readCatalog<DB>(db: Kysely<DB>): Promise<Catalog> {
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`.execute(db);
  const columns = await sql<CatalogColumn>`
    SELECT table_name AS "table", column_name AS name, data_type AS "dataType",
           character_maximum_length AS "maxLength", column_default AS "default",
           is_nullable = 'YES' AS nullable
    FROM information_schema.columns WHERE table_schema = 'public'
    ORDER BY table_name, ordinal_position`.execute(db);
  const constraints = await sql<CatalogConstraint>`
    SELECT t.relname AS "table", c.conname AS name, c.contype AS kind,
           pg_get_constraintdef(c.oid) AS definition, rt.relname AS "refTable",
           c.confdeltype AS "onDelete",
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                 ORDER BY k.o) AS columns,
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n
                 ORDER BY k.o) AS "refColumns"
    FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    JOIN pg_namespace ns ON ns.oid = t.relnamespace
    LEFT JOIN pg_class rt ON rt.oid = c.confrelid
    WHERE ns.nspname = 'public' AND c.contype IN ('p', 'u', 'c', 'f')
    ORDER BY 1, 2`.execute(db);
  const indexes = await sql<CatalogIndex>`
    SELECT t.relname AS "table", i.relname AS name, ix.indisunique AS unique,
           pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
           pg_get_indexdef(ix.indexrelid) AS definition,
           ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, o)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n
                 ORDER BY k.o) AS columns
    FROM pg_index ix
    JOIN pg_class i ON i.oid = ix.indexrelid
    JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_namespace ns ON ns.oid = t.relnamespace
    WHERE ns.nspname = 'public'
    ORDER BY 1, 2`.execute(db);

  return {
    tables: tables.rows.map((r) => r.name),
    columns: columns.rows,
    constraints: constraints.rows,
    indexes: indexes.rows,
  };
}
