import type pg from 'pg';

interface ServerFacts {
  wal_level: string;
  max_replication_slots: number;
  max_wal_senders: number;
  used_slots: number;
  user: string;
  database: string;
  superuser: boolean;
  replication: boolean;
  can_create: boolean;
  slot_exists: boolean;
  publication_exists: boolean;
}

/**
 * Why this server cannot feed change data capture, as the exact changes to make (one per line),
 * or undefined when it can. Checked at boot so that a misconfigured server costs a warning, not
 * a crash: the app runs on without CDC.
 */
export async function cdcPreflight(
  client: pg.Client,
  names: { slot: string; publication: string; tables: readonly string[] },
): Promise<string | undefined> {
  const { rows } = await client.query<ServerFacts>(
    `SELECT current_setting('wal_level') AS wal_level,
            current_setting('max_replication_slots')::int AS max_replication_slots,
            current_setting('max_wal_senders')::int AS max_wal_senders,
            (SELECT count(*)::int FROM pg_replication_slots) AS used_slots,
            current_user AS user, current_database() AS database,
            r.rolsuper AS superuser, r.rolreplication AS replication,
            has_database_privilege(current_database(), 'CREATE') AS can_create,
            EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1) AS slot_exists,
            EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $2) AS publication_exists
       FROM pg_roles r WHERE r.rolname = current_user`,
    [names.slot, names.publication],
  );
  const f = rows[0];
  if (!f) return 'the current role is not in pg_roles';
  const fixes: string[] = [];
  if (f.wal_level !== 'logical')
    fixes.push(
      `wal_level is '${f.wal_level}': run ALTER SYSTEM SET wal_level = logical (or start postgres with -c wal_level=logical) and restart Postgres`,
    );
  if (!f.slot_exists && f.used_slots >= f.max_replication_slots)
    fixes.push(
      `max_replication_slots is ${f.max_replication_slots} and ${f.used_slots} are in use: raise it to at least ${f.used_slots + 1} and restart Postgres`,
    );
  if (f.max_wal_senders < 1) fixes.push('max_wal_senders is 0: set it to at least 1 and restart Postgres');
  const role = `"${f.user.replaceAll('"', '""')}"`;
  if (!f.superuser && !f.replication) fixes.push(`role ${role} cannot replicate: ALTER ROLE ${role} WITH REPLICATION;`);
  if (!f.superuser && !f.publication_exists) {
    const owned = await notOwned(client, names.tables);
    if (!f.can_create || owned.length > 0)
      fixes.push(
        `role ${role} cannot create publication ${names.publication}: ${!f.can_create ? `GRANT CREATE ON DATABASE "${f.database}" TO ${role}; ` : ''}${owned.length > 0 ? `it must own the tables (${owned.join(', ')}), ` : ''}or have an owner run CREATE PUBLICATION ${names.publication} FOR TABLE ${names.tables.join(', ')};`,
      );
  }
  return fixes.length > 0 ? fixes.join('\n') : undefined;
}

async function notOwned(client: pg.Client, tables: readonly string[]): Promise<string[]> {
  if (tables.length === 0) return [];
  const { rows } = await client.query<{ name: string }>(
    `SELECT t AS name FROM unnest($1::text[]) AS t
      WHERE to_regclass(t) IS NOT NULL AND NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = to_regclass(t)), 'USAGE')`,
    [tables],
  );
  return rows.map((r) => r.name);
}

/**
 * Creates the publication (or adds the tables it lacks) and then the slot: in that order, because
 * pgoutput cannot decode changes from before its publication existed.
 */
export async function ensurePublicationAndSlot(
  client: pg.Client,
  names: { slot: string; publication: string; tables: readonly string[] },
): Promise<{ missingTables: string[] }> {
  const pub = `"${names.publication.replaceAll('"', '""')}"`;
  const { rows: existing } = await client.query<{ name: string }>(
    `SELECT t AS name FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL`,
    [names.tables],
  );
  const present = existing.map((r) => r.name);
  const missingTables = names.tables.filter((t) => !present.includes(t));
  const { rows: published } = await client.query<{ name: string }>(
    `SELECT schemaname || '.' || tablename AS name FROM pg_publication_tables WHERE pubname = $1`,
    [names.publication],
  );
  const { rowCount } = await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [names.publication]);
  const quoted = (t: string) =>
    t
      .split('.')
      .map((part) => `"${part.replaceAll('"', '""')}"`)
      .join('.');
  if (!rowCount) {
    await client.query(
      present.length > 0
        ? `CREATE PUBLICATION ${pub} FOR TABLE ${present.map(quoted).join(', ')}`
        : `CREATE PUBLICATION ${pub}`,
    );
  } else {
    const add = present.filter((t) => !published.some((p) => p.name === t || p.name === `public.${t}`));
    if (add.length > 0) await client.query(`ALTER PUBLICATION ${pub} ADD TABLE ${add.map(quoted).join(', ')}`);
  }
  await client.query(
    `SELECT pg_create_logical_replication_slot($1, 'pgoutput')
      WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)`,
    [names.slot],
  );
  return { missingTables };
}
