/**
 * Notification categories: a notification's `setting_name` is "module|event", and
 * `im.notify.schema.get` names both parts. Muting works on these ids, per portal.
 */
import * as v from 'valibot';

export interface NotificationCategory {
  /** "module|event", as in a notification's `setting_name`. */
  id: string;
  moduleName: string;
  name: string;
}

const SchemaEntrySchema = v.object({ ID: v.string(), NAME: v.optional(v.unknown()) });
const SchemaModuleSchema = v.object({ NAME: v.optional(v.unknown()), LIST: v.optional(v.unknown()) });
const CATEGORY_ID = /^[A-Za-z0-9_.-]{1,64}\|[A-Za-z0-9_.-]{1,100}$/;

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 120) : fallback;
}

/**
 * Reads the schema's `result` (an object keyed by module). Entries that do not fit are skipped,
 * not fatal: a portal module with an odd entry must not hide every other category.
 */
export function parseNotifySchema(result: unknown): NotificationCategory[] {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return [];
  const categories: NotificationCategory[] = [];
  for (const [moduleId, rawModule] of Object.entries(result)) {
    const module = v.safeParse(SchemaModuleSchema, rawModule);
    if (!module.success || !Array.isArray(module.output.LIST)) continue;
    const moduleName = text(module.output.NAME, moduleId);
    for (const rawEntry of module.output.LIST) {
      const entry = v.safeParse(SchemaEntrySchema, rawEntry);
      if (!entry.success || !CATEGORY_ID.test(entry.output.ID)) continue;
      categories.push({ id: entry.output.ID, moduleName, name: text(entry.output.NAME, entry.output.ID) });
    }
  }
  return categories;
}

/** Categories the schema names, plus any seen in the inbox that it does not (named by their id). */
export function mergeSeenCategories(named: NotificationCategory[], seenIds: Iterable<string>): NotificationCategory[] {
  const byId = new Map(named.map((category) => [category.id, category]));
  for (const id of seenIds) {
    if (!byId.has(id) && CATEGORY_ID.test(id)) byId.set(id, { id, moduleName: id.split('|')[0]!, name: id });
  }
  return [...byId.values()].sort((a, b) => a.moduleName.localeCompare(b.moduleName) || a.name.localeCompare(b.name));
}

export const CategoryIdSchema = v.pipe(v.string(), v.regex(CATEGORY_ID, 'A category is written module|event.'));
