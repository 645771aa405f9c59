import { readFileSync } from 'node:fs';

// Reads VLog's schema document (the seed) into a structure tests compare with the database
// catalog. The document is prose with tables flattened to space-separated lines, so the parse
// leans on its fixed vocabulary: SQL type names and upper-case constraint words.

/** The seed file: the product's schema specification. */
export const SEED_SCHEMA_PATH = '/work/shared/seed/000_727c80633b53bf91.txt';

export type SeedType =
  | 'INTEGER'
  | 'TEXT'
  | 'FLOAT'
  | 'BOOLEAN'
  | 'TIMESTAMP'
  | 'TIMESTAMP WITH TIME ZONE'
  | `VARCHAR(${number})`;

export type DeleteAction = 'CASCADE' | 'SET NULL' | 'NO ACTION';

export interface SeedColumn {
  name: string;
  type: SeedType;
  /** The constraint words as written: 'PRIMARY KEY', 'NOT NULL', 'UNIQUE', 'CHECK', ... */
  flags: string[];
  /** The DEFAULT expression as written (NOW(), 'pending', 0, FALSE), if any. */
  default: string | undefined;
  foreignKey: { table: string; column: string; onDelete: DeleteAction | undefined } | undefined;
  /** Inline comparisons such as '>= 0' or '> start_time'. */
  comparisons: string[];
  description: string;
}

export interface SeedNamedItem {
  name: string;
  description: string;
}

export interface SeedUniqueConstraint {
  name: string;
  columns: string[];
}

export interface SeedTable {
  name: string;
  columns: SeedColumn[];
  /** ix_ names listed under the table's "Indexes:". */
  indexes: SeedNamedItem[];
  uniqueConstraints: SeedUniqueConstraint[];
  /** Named CHECK constraints with their SQL condition. */
  checkConstraints: { name: string; condition: string }[];
}

export interface SeedCascadeRule {
  parent: string;
  child: string;
  childColumn: string | undefined;
  onDelete: DeleteAction;
  note: string;
}

export interface SeedSchema {
  tables: SeedTable[];
  cascades: SeedCascadeRule[];
  /** Every ix_/uq_/ck_ name mentioned anywhere in the document. */
  namedObjects: string[];
}

const COLUMN_HEADER = 'Column Type Constraints Description';
const TYPE_PATTERN =
  /^(TIMESTAMP WITH TIME ZONE|TIMESTAMP|VARCHAR\(\d+\)|INTEGER|TEXT|FLOAT|BOOLEAN)(?: |$)/;
const CONSTRAINT_TOKENS: RegExp[] = [
  /^PRIMARY KEY/,
  /^NOT NULL/,
  /^NULLABLE/,
  /^UNIQUE/,
  /^INDEX/,
  /^CHECK/,
  /^PK\b/,
  /^FK\(\w+\.\w+\)/,
  /^CASCADE/,
  /^SET NULL/,
  /^DEFAULT (?:NOW\(\)|'[^']*'|-?\d+(?:\.\d+)?|TRUE|FALSE)/,
  /^>=? \w+/,
];

function splitConstraints(rest: string): { tokens: string[]; description: string } {
  const tokens: string[] = [];
  let remaining = rest;
  for (;;) {
    const match = CONSTRAINT_TOKENS.map((re) => re.exec(remaining)).find((m) => m !== null);
    if (!match) break;
    tokens.push(match[0]);
    remaining = remaining.slice(match[0].length).replace(/^,? ?/, '');
  }
  return { tokens, description: remaining.trim() };
}

/** Parses one row of a column table, e.g. "slug VARCHAR(100) UNIQUE, NOT NULL URL-safe id". */
export function parseColumnLine(line: string): SeedColumn {
  const nameMatch = /^(\w+) /.exec(line);
  const afterName = nameMatch ? line.slice(nameMatch[0].length) : '';
  const typeMatch = TYPE_PATTERN.exec(afterName);
  if (!nameMatch?.[1] || !typeMatch?.[1]) throw new Error(`Unreadable column line: "${line}"`);

  const { tokens, description } = splitConstraints(afterName.slice(typeMatch[0].length));
  const fk = tokens.map((t) => /^FK\((\w+)\.(\w+)\)$/.exec(t)).find((m) => m !== null);
  const action = tokens.find((t) => t === 'CASCADE' || t === 'SET NULL') as DeleteAction;
  const defaultToken = tokens.find((t) => t.startsWith('DEFAULT '));
  return {
    name: nameMatch[1],
    type: typeMatch[1] as SeedType,
    flags: tokens.filter((t) => /^[A-Z ]+$/.test(t) && !t.startsWith('DEFAULT ')),
    default: defaultToken?.slice('DEFAULT '.length),
    foreignKey: fk?.[1] && fk[2] ? { table: fk[1], column: fk[2], onDelete: action } : undefined,
    comparisons: tokens.filter((t) => t.startsWith('>')),
    description,
  };
}

function findTableName(lines: string[], headerIndex: number): { name: string; at: number } {
  for (let i = headerIndex - 1; i >= 0; i -= 1) {
    const line = lines[i]?.trim() ?? '';
    if (/^[a-z][a-z_]*$/.test(line)) return { name: line, at: i };
  }
  throw new Error(`No table name above the column table at line ${headerIndex + 1}`);
}

function bulletItems(section: string[]): SeedNamedItem[] {
  return section
    .map((line) => /^\s*•\s+((?:ix|uq|ck)_\w+) - (.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1] ?? '', description: (m[2] ?? '').trim() }));
}

function parseColumnList(text: string): string[] {
  return text.split(',').map((c) => c.trim());
}

function parseTableSection(name: string, section: string[]): SeedTable {
  const headerAt = section.findIndex((l) => l.trim() === COLUMN_HEADER);
  const columns: SeedColumn[] = [];
  for (let i = headerAt + 1; i < section.length && section[i]?.trim(); i += 1) {
    columns.push(parseColumnLine(section[i]?.trim() ?? ''));
  }

  const bullets = bulletItems(section);
  const uniqueConstraints: SeedUniqueConstraint[] = [];
  for (const line of section) {
    const inline = /^Unique Constraint: (uq_\w+) \(([^)]+)\)/.exec(line.trim());
    if (inline?.[1] && inline[2]) {
      uniqueConstraints.push({ name: inline[1], columns: parseColumnList(inline[2]) });
    }
  }
  for (const bullet of bullets.filter((b) => b.name.startsWith('uq_'))) {
    const listed = /^Unique \(([^)]+)\)/.exec(bullet.description);
    if (listed?.[1]) {
      uniqueConstraints.push({ name: bullet.name, columns: parseColumnList(listed[1]) });
    }
  }
  return {
    name,
    columns,
    indexes: bullets.filter((b) => b.name.startsWith('ix_')),
    uniqueConstraints,
    checkConstraints: bullets
      .filter((b) => b.name.startsWith('ck_'))
      .map((b) => ({ name: b.name, condition: b.description })),
  };
}

function parseCascades(lines: string[]): SeedCascadeRule[] {
  const headerAt = lines.lastIndexOf('Parent Child On Delete');
  if (headerAt < 0) throw new Error('The seed has no "Parent Child On Delete" table');
  const rules: SeedCascadeRule[] = [];
  for (let i = headerAt + 1; i < lines.length && lines[i]?.trim(); i += 1) {
    const m = /^(\w+) (\w+)(?:\.(\w+))? (CASCADE|SET NULL)\s*(.*)$/.exec(lines[i]?.trim() ?? '');
    if (!m?.[1] || !m[2] || !m[4]) throw new Error(`Unreadable cascade row: "${lines[i]}"`);
    rules.push({
      parent: m[1],
      child: m[2],
      childColumn: m[3],
      onDelete: m[4] as DeleteAction,
      note: m[5] ?? '',
    });
  }
  return rules;
}

/** Parses the seed document's text. */
export function parseSeedSchema(text: string): SeedSchema {
  const lines = text.split(/\r?\n/);
  const headers = lines.flatMap((l, i) => (l.trim() === COLUMN_HEADER ? [i] : []));
  const starts = headers.map((h) => findTableName(lines, h));
  const end = lines.findIndex((l) => l.trim() === 'Entity Relationships');

  const tables = starts.map((start, i) => {
    const sectionEnd = starts[i + 1]?.at ?? (end > 0 ? end : lines.length);
    return parseTableSection(start.name, lines.slice(start.at, sectionEnd));
  });
  const namedObjects = [...new Set(text.match(/\b(?:ix|uq|ck)_[a-z0-9_]+\b/g) ?? [])];
  return { tables, cascades: parseCascades(lines), namedObjects: namedObjects.sort() };
}

/** Reads and parses the seed file. */
export function loadSeedSchema(file = SEED_SCHEMA_PATH): SeedSchema {
  return parseSeedSchema(readFileSync(file, 'utf8'));
}
