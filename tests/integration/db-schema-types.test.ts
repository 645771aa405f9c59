import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema';
import { type Catalog, MIGRATION_TABLES, readCatalog } from '../support/catalog';
import { createTestDatabase, type TestDatabase } from '../support/database';

// db/schema.ts is written by hand; this compares it with the migrated database so the types
// the rest of the studio compiles against cannot drift from the real columns.

interface DeclaredColumn {
  table: string;
  column: string;
  type: string;
}

function interfaceMembers(node: ts.InterfaceDeclaration, source: ts.SourceFile) {
  return node.members.filter(ts.isPropertySignature).map((member) => ({
    name: member.name.getText(source),
    type: member.type?.getText(source) ?? '',
  }));
}

/** Reads every table interface named by the Database interface of db/schema.ts. */
function readDeclaredColumns(file: string): DeclaredColumn[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const database = interfaces.get('Database');
  if (!database) throw new Error('db/schema.ts declares no Database interface');

  return interfaceMembers(database, source).flatMap(({ name: table, type: tableType }) => {
    const tableInterface = interfaces.get(tableType);
    if (!tableInterface) throw new Error(`No interface ${tableType} for table ${table}`);
    return interfaceMembers(tableInterface, source).map((m) => ({
      table,
      column: m.name,
      type: m.type,
    }));
  });
}

const SQL_TO_TS: Record<string, string> = {
  integer: 'number',
  'double precision': 'number',
  'character varying': 'string',
  text: 'string',
  boolean: 'boolean',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamp',
};

/** What a declared type says: value kind, whether null is allowed, whether inserts may omit it. */
function describeDeclared(type: string) {
  const timestamp = /\b(Defaulted)?Timestamp\b|\bDate\b/.test(type);
  const kind = timestamp ? 'timestamp' : (/\b(number|string|boolean)\b/.exec(type)?.[1] ?? type);
  return {
    kind,
    nullable: /\bnull\b/.test(type),
    defaulted: /^(Generated|Defaulted)\b|DefaultedTimestamp/.test(type),
  };
}

describe('db/schema.ts', () => {
  let database: TestDatabase;
  let catalog: Catalog;
  const declared = readDeclaredColumns(path.resolve('db/schema.ts'));

  beforeAll(async () => {
    database = await createTestDatabase('schema_types');
    catalog = await readCatalog(database.db as Kysely<Database>);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('declares exactly the migrated tables and columns', () => {
    const inDatabase = catalog.columns
      .filter((c) => !MIGRATION_TABLES.includes(c.table))
      .map((c) => `${c.table}.${c.name}`);
    const inTypes = declared.map((d) => `${d.table}.${d.column}`);
    expect(inTypes.sort()).toEqual(inDatabase.sort());
  });

  it('matches each column type, nullability and default', () => {
    const mismatches = declared.flatMap((d) => {
      const column = catalog.columns.find((c) => c.table === d.table && c.name === d.column);
      if (!column) return [];
      const actual = {
        kind: SQL_TO_TS[column.dataType],
        nullable: column.nullable,
        defaulted: column.default !== null,
      };
      const said = describeDeclared(d.type);
      const same = JSON.stringify(said) === JSON.stringify(actual);
      return same ? [] : [`${d.table}.${d.column}: "${d.type}" vs ${JSON.stringify(actual)}`];
    });
    expect(mismatches).toEqual([]);
  });
});
