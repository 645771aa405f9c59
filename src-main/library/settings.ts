import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';

export type SettingValueType = 'string' | 'integer' | 'float' | 'boolean' | 'enum' | 'json';

export interface SettingDefinition {
  key: string;
  category: string;
  valueType: SettingValueType;
  description?: string;
}

/** A stored setting's decoded value (the column holds JSON), or undefined when never set. */
export async function readSetting(db: Kysely<Database>, key: string): Promise<unknown> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  try {
    return JSON.parse(row.value) as unknown;
  } catch {
    return undefined;
  }
}

/** Stores a setting's value JSON-encoded, creating or replacing it. */
export async function writeSetting(
  db: Kysely<Database>,
  definition: SettingDefinition,
  value: unknown,
  updatedBy = 'studio',
): Promise<void> {
  const encoded = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({
      key: definition.key,
      value: encoded,
      category: definition.category,
      value_type: definition.valueType,
      description: definition.description ?? null,
      updated_by: updatedBy,
    })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ value: encoded, updated_at: sql<Date>`now()`, updated_by: updatedBy }),
    )
    .execute();
}
