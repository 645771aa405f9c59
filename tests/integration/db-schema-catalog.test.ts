import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectLibrary } from '../../db/connection';
import { knownMigrations, migrateDown, migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/schema';
import { createLogger } from '../../src-main/log';
import {
  type Catalog,
  type CatalogConstraint,
  MIGRATION_TABLES,
  readCatalog,
} from '../support/catalog';
import { createEmptyDatabase } from '../support/database';
import {
  type DeleteAction,
  loadSeedSchema,
  type SeedColumn,
  type SeedSchema,
  type SeedTable,
} from '../support/seed-schema';

// Every expectation below is derived from the seed document at run time, so a migration that
// loses a column, index or constraint the document names makes this suite fail.

const seed: SeedSchema = loadSeedSchema();
const quietLog = createLogger('test.migrate');
quietLog.level = 'warn';

const servers = [{ label: 'test server', url: (): string => inject('databaseUrl') }];
const external = process.env['VLOG_TEST_EXTERNAL_DATABASE_URL'];
if (external) servers.push({ label: 'external server', url: () => external });

const SEED_TYPES: Record<string, string> = {
  INTEGER: 'integer',
  TEXT: 'text',
  FLOAT: 'double precision',
  BOOLEAN: 'boolean',
  TIMESTAMP: 'timestamp without time zone',
  'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone',
};

const DELETE_ACTIONS: Record<string, DeleteAction | 'RESTRICT' | 'SET DEFAULT'> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

function hasFlag(column: SeedColumn, ...flags: string[]): boolean {
  return flags.some((f) => column.flags.includes(f));
}

function isSerial(column: SeedColumn): boolean {
  return column.type === 'INTEGER' && hasFlag(column, 'PRIMARY KEY');
}

function expectedColumn(column: SeedColumn) {
  const varchar = /^VARCHAR\((\d+)\)$/.exec(column.type);
  return {
    name: column.name,
    dataType: varchar ? 'character varying' : SEED_TYPES[column.type],
    maxLength: varchar ? Number(varchar[1]) : null,
    default: isSerial(column) ? 'nextval' : normalizeDefault(column.default ?? null),
    nullable: !hasFlag(column, 'NOT NULL', 'PRIMARY KEY', 'PK'),
  };
}

/** Reduces a default to its value: casts, quotes and case removed. */
function normalizeDefault(value: string | null): string | null {
  if (value === null) return null;
  if (value.startsWith('nextval(')) return 'nextval';
  let plain = value.trim();
  while (/::[a-z ]+$/i.test(plain)) plain = plain.replace(/::[a-z ]+$/i, '');
  plain = plain.replace(/^'(.*)'$/, '$1');
  return plain.toLowerCase();
}

/** Reduces a CHECK condition to comparable text. */
function normalizeCondition(text: string): string {
  return text
    .toLowerCase()
    .replace(/^check\s*/, '')
    .replace(/::(double precision|character varying|text|integer|numeric)(\[\])?/g, '')
    .replace(/[()]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The allowed values a CHECK column's description lists ("One of: a, b" or "a, b, c"). */
function listedValues(description: string): string[] {
  return description
    .replace(/^.*:\s*/, '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => /^[a-z_]+$/.test(v));
}

function cascadeAction(parent: string, child: string): DeleteAction | undefined {
  return seed.cascades.find((r) => r.parent === parent && r.child === child)?.onDelete;
}

function constraintsOf(catalog: Catalog, table: string, kind: CatalogConstraint['kind']) {
  return catalog.constraints.filter((c) => c.table === table && c.kind === kind);
}

/** True when every word of an ix_ name is a column (in order) or the partial predicate. */
function nameExplainsIndex(
  name: string,
  table: string,
  columns: string[],
  predicate: string | null,
): boolean {
  const words = name.slice(`ix_${table}_`.length).split('_');
  let word = 0;
  let matchedColumns = 0;
  while (word < words.length) {
    const columnWords = (columns[matchedColumns] ?? '').split('_');
    let length = 0;
    while (word + length < words.length && columnWords[length] === words[word + length]) {
      length += 1;
    }
    if (length > 0) {
      word += length;
      matchedColumns += 1;
    } else if (predicate?.includes(words[word] ?? '')) word += 1;
    else return false;
  }
  return matchedColumns >= 1;
}

function checkColumns(table: SeedTable, catalog: Catalog): void {
  const actual = catalog.columns
    .filter((c) => c.table === table.name)
    .map((c) => ({ ...c, default: normalizeDefault(c.default) }))
    .map(({ name, dataType, maxLength, default: value, nullable }) => {
      return { name, dataType, maxLength, default: value, nullable };
    });
  expect.soft(actual, `${table.name} columns`).toEqual(table.columns.map(expectedColumn));
}

function checkPrimaryKey(table: SeedTable, catalog: Catalog): void {
  const keyColumns = table.columns.filter((c) => hasFlag(c, 'PRIMARY KEY', 'PK'));
  const keys = constraintsOf(catalog, table.name, 'p').map((c) => [c.name, c.columns]);
  expect
    .soft(keys, `${table.name} primary key`)
    .toEqual([[`${table.name}_pkey`, keyColumns.map((c) => c.name)]]);
}

function checkUniqueConstraints(table: SeedTable, catalog: Catalog): void {
  const expected = [
    ...table.columns
      .filter((c) => hasFlag(c, 'UNIQUE'))
      .map((c) => `${table.name}_${c.name}_key(${c.name})`),
    ...table.uniqueConstraints.map((u) => `${u.name}(${u.columns.join(',')})`),
  ];
  const actual = constraintsOf(catalog, table.name, 'u').map(
    (c) => `${c.name}(${c.columns.join(',')})`,
  );
  expect.soft(actual.sort(), `${table.name} unique constraints`).toEqual(expected.sort());
}

function checkCheckConstraints(table: SeedTable, catalog: Catalog): void {
  const checks = constraintsOf(catalog, table.name, 'c');
  const expectedNames = [
    ...table.columns.filter((c) => hasFlag(c, 'CHECK')).map((c) => `ck_${table.name}_${c.name}`),
    ...table.checkConstraints.map((c) => c.name),
  ];
  expect
    .soft(checks.map((c) => c.name).sort(), `${table.name} checks`)
    .toEqual(expectedNames.sort());

  for (const column of table.columns.filter((c) => hasFlag(c, 'CHECK'))) {
    const check = checks.find((c) => c.name === `ck_${table.name}_${column.name}`);
    const values = listedValues(column.description);
    expect.soft(values.length, `${column.name} lists its values`).toBeGreaterThan(1);
    for (const value of values) {
      expect.soft(check?.definition, `${column.name} allows ${value}`).toContain(`'${value}'`);
    }
  }
  for (const named of table.checkConstraints) {
    const check = checks.find((c) => c.name === named.name);
    expect
      .soft(normalizeCondition(check?.definition ?? ''), named.name)
      .toBe(normalizeCondition(named.condition));
  }
  for (const column of table.columns) {
    for (const comparison of column.comparisons) {
      const wanted = normalizeCondition(`${column.name} ${comparison}`);
      const enforced = checks.some((c) => normalizeCondition(c.definition).includes(wanted));
      expect.soft(enforced, `${table.name}.${column.name} ${comparison}`).toBe(true);
    }
  }
}

function checkForeignKeys(table: SeedTable, catalog: Catalog): void {
  const expected = table.columns.flatMap((column) => {
    const fk = column.foreignKey;
    if (!fk) return [];
    const action = fk.onDelete ?? cascadeAction(fk.table, table.name) ?? 'NO ACTION';
    return [`${table.name}_${column.name}_fkey ${column.name}->${fk.table}.${fk.column} ${action}`];
  });
  const actual = constraintsOf(catalog, table.name, 'f').map(
    (c) =>
      `${c.name} ${c.columns.join(',')}->${c.refTable}.${c.refColumns.join(',')} ` +
      `${DELETE_ACTIONS[c.onDelete]}`,
  );
  expect.soft(actual.sort(), `${table.name} foreign keys`).toEqual(expected.sort());
}

function checkIndexes(table: SeedTable, catalog: Catalog): void {
  const indexes = catalog.indexes.filter((i) => i.table === table.name);
  const constraintNames = catalog.constraints
    .filter((c) => c.table === table.name && (c.kind === 'p' || c.kind === 'u'))
    .map((c) => c.name);
  const named = indexes.filter((i) => !constraintNames.includes(i.name)).map((i) => i.name);
  expect
    .soft(named.sort(), `${table.name} indexes`)
    .toEqual(table.indexes.map((i) => i.name).sort());

  for (const listed of table.indexes) {
    const index = indexes.find((i) => i.name === listed.name);
    if (!index) continue;
    const partial = /partial/i.test(listed.description);
    expect.soft(index.predicate !== null, `${listed.name} is partial: ${partial}`).toBe(partial);
    const explained = nameExplainsIndex(index.name, table.name, index.columns, index.predicate);
    expect.soft(explained, `${listed.name} on (${index.columns.join(', ')})`).toBe(true);
  }
  for (const column of table.columns.filter((c) => hasFlag(c, 'INDEX'))) {
    const single = indexes.some((i) => i.columns.join() === column.name);
    expect.soft(single, `${table.name}.${column.name} is indexed`).toBe(true);
  }
}

function withoutMigrationTables(tables: string[]): string[] {
  return tables.filter((t) => !MIGRATION_TABLES.includes(t));
}

describe.each(servers)('library schema on the $label', ({ url }) => {
  let db: Kysely<Database>;
  let drop: () => Promise<void>;
  let catalog: Catalog;

  beforeAll(async () => {
    const empty = await createEmptyDatabase('schema', url());
    db = connectLibrary(empty.url, 3).db;
    drop = async () => {
      await db.destroy();
      await empty.drop();
    };
    await migrateToLatest(db, quietLog);
    catalog = await readCatalog(db);
  });
  afterAll(async () => {
    await drop?.();
  });

  it('reads the whole seed document', () => {
    expect(seed.tables).toHaveLength(24);
    expect(seed.tables.flatMap((t) => t.columns).length).toBeGreaterThan(220);
    expect(seed.cascades.length).toBeGreaterThanOrEqual(20);
    expect(seed.namedObjects.length).toBeGreaterThanOrEqual(60);
  });

  it('creates exactly the tables of the seed', () => {
    expect(withoutMigrationTables(catalog.tables).sort()).toEqual(
      seed.tables.map((t) => t.name).sort(),
    );
  });

  it.each(seed.tables)('$name matches the seed', (table) => {
    checkColumns(table, catalog);
    checkPrimaryKey(table, catalog);
    checkUniqueConstraints(table, catalog);
    checkCheckConstraints(table, catalog);
    checkForeignKeys(table, catalog);
    checkIndexes(table, catalog);
  });

  it('applies every ON DELETE rule of the seed', () => {
    const foreignKeys = catalog.constraints.filter((c) => c.kind === 'f');
    for (const rule of seed.cascades) {
      let links = foreignKeys.filter(
        (fk) =>
          fk.table === rule.child &&
          fk.refTable === rule.parent &&
          (rule.childColumn === undefined || fk.columns.includes(rule.childColumn)),
      );
      // The seed's "workers → transcoding_jobs.worker_id" row describes the only link between
      // those tables, which its column table defines the other way round:
      // workers.current_job_id → transcoding_jobs.id, SET NULL.
      if (links.length === 0) {
        links = foreignKeys.filter((fk) => fk.table === rule.parent && fk.refTable === rule.child);
      }
      const label = `${rule.parent} → ${rule.child}`;
      expect.soft(links.length, `${label} has a foreign key`).toBeGreaterThan(0);
      for (const link of links) {
        expect.soft(DELETE_ACTIONS[link.onDelete], `${label} via ${link.name}`).toBe(rule.onDelete);
      }
    }
  });

  it('has every index and constraint the seed names', () => {
    const names = new Set([
      ...catalog.indexes.map((i) => i.name),
      ...catalog.constraints.map((c) => c.name),
    ]);
    expect(seed.namedObjects.filter((n) => !names.has(n))).toEqual([]);
  });

  it('migrates again without changes, down one step, to zero, and up to the same catalog', async () => {
    expect(await migrateToLatest(db, quietLog)).toEqual([]);

    const lastMigration = knownMigrations().at(-1);
    const reverted = await migrateDown(db, 1, quietLog);
    expect(reverted.map((r) => [r.name, r.status])).toEqual([[lastMigration, 'Success']]);
    const afterOneStep = withoutMigrationTables((await readCatalog(db)).tables);
    expect(afterOneStep.length).toBeGreaterThan(0);
    expect(afterOneStep.length).toBeLessThan(24);

    await migrateDown(db, 'all', quietLog);
    expect(withoutMigrationTables((await readCatalog(db)).tables)).toEqual([]);

    const applied = await migrateToLatest(db, quietLog);
    expect(applied.map((r) => r.name)).toEqual(knownMigrations());
    expect(await readCatalog(db)).toEqual(catalog);
  });
});
