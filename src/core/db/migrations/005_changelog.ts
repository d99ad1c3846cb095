/**
 * One write path: the change log with its merkle leaves (db/changelog.ts), soft delete where rows used
 * to be removed, number series as a module (db/numbering.ts) with per-device prefixes and a register of
 * every number issued, and the reference data every workspace starts with as plain data (fixed ids, so
 * that every workspace has the same rows and a replayed log finds them).
 */
import { SEED_STAMP } from '../tables.ts'

const CURRENCIES: [code: string, digits: number][] = [
  ['EUR', 2],
  ['USD', 2],
  ['ARS', 2],
  ['CHF', 2]
]

/** The VAT rates a new workspace knows (standard and reduced of the buyers' countries), with fixed ids. */
const VAT_RATES: [id: string, country: string, cls: string, bp: number, validFrom: string][] = [
  ['5eed0000-0000-4000-8000-000000000001', 'DE', 'standard', 1900, '2007-01-01'],
  ['5eed0000-0000-4000-8000-000000000002', 'DE', 'reduced', 700, '1983-07-01'],
  ['5eed0000-0000-4000-8000-000000000003', 'AT', 'standard', 2000, '1984-01-01'],
  ['5eed0000-0000-4000-8000-000000000004', 'AT', 'reduced', 1000, '1984-01-01'],
  ['5eed0000-0000-4000-8000-000000000005', 'ES', 'standard', 2100, '2012-09-01'],
  ['5eed0000-0000-4000-8000-000000000006', 'ES', 'reduced', 1000, '2012-09-01'],
  ['5eed0000-0000-4000-8000-000000000007', 'ES', 'super_reduced', 400, '1995-01-01'],
  ['5eed0000-0000-4000-8000-000000000008', 'CH', 'standard', 810, '2024-01-01'],
  ['5eed0000-0000-4000-8000-000000000009', 'CH', 'reduced', 260, '2024-01-01']
]

/** The time of the migration, as the app stamps it. */
const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`

const seedSql = [
  ...CURRENCIES.map(
    ([code, digits]) =>
      `INSERT OR IGNORE INTO currency (code, minor_digits, created_at, updated_at) VALUES ('${code}', ${digits}, '${SEED_STAMP}', '${SEED_STAMP}');`
  ),
  // A workspace made before this version has these rates under ids of its own: they take the fixed ids.
  // A new file (no identity row yet) gets the rates. An older one keeps what it has, also a rate its user
  // changed beyond recognition or deleted: the rate it lacks is added as deleted, so that every
  // workspace holds the same rows under these ids and a replayed log finds them.
  ...VAT_RATES.map(
    ([id, country, cls, , from]) =>
      `UPDATE vat_rate SET id = '${id}' WHERE id = (SELECT id FROM vat_rate WHERE country = '${country}' AND class = '${cls}' AND valid_from = '${from}' ORDER BY created_at, id LIMIT 1)
  AND NOT EXISTS (SELECT 1 FROM vat_rate WHERE id = '${id}');`
  ),
  ...VAT_RATES.map(
    ([id, country, cls, bp, from]) =>
      `INSERT INTO vat_rate (id, country, class, rate_bp, valid_from, valid_to, created_at, updated_at, deleted_at)
  SELECT '${id}', '${country}', '${cls}', ${bp}, '${from}', NULL, '${SEED_STAMP}',
    CASE WHEN EXISTS (SELECT 1 FROM workspace) THEN ${NOW} ELSE '${SEED_STAMP}' END,
    CASE WHEN EXISTS (SELECT 1 FROM workspace) THEN ${NOW} END
  WHERE NOT EXISTS (SELECT 1 FROM vat_rate WHERE id = '${id}');`
  )
].join('\n')

export default `
-- Every change: one entry per write (per stamp of the hybrid logical clock), naming its table and
-- holding its rows as JSON: [[row key, {column: new value, …}], …] (binary data as {"hex": "…"}).
-- Values that every row of a bulk write shares are kept once, in common: {column: value, …}.
CREATE TABLE change_log (
  ts TEXT PRIMARY KEY,
  tbl TEXT NOT NULL,
  rows TEXT NOT NULL,
  common TEXT
) STRICT, WITHOUT ROWID;
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

-- The log message by message: the stamp, the row's place in its entry, table, row, column, new value.
CREATE VIEW change_message AS
  SELECT c.ts, r.key AS seq, c.tbl, r.value ->> 0 AS row, m.key AS col,
    CASE WHEN m.type = 'object' THEN unhex(m.value ->> '$.hex') ELSE m.value END AS value
  FROM change_log c, json_each(c.rows) r, json_each(r.value, '$[1]') m
  UNION ALL
  SELECT c.ts, r.key, c.tbl, r.value ->> 0, m.key,
    CASE WHEN m.type = 'object' THEN unhex(m.value ->> '$.hex') ELSE m.value END
  FROM change_log c, json_each(c.rows) r, json_each(c.common) m
  WHERE c.common IS NOT NULL;

-- The leaves of the log's merkle trie: per minute, the XOR of the hashes of that minute's stamps.
CREATE TABLE change_merkle (
  minute INTEGER PRIMARY KEY,
  hash INTEGER NOT NULL
) STRICT;

-- Rows that used to be deleted are now soft-deleted like everything else.
ALTER TABLE round_supplier ADD COLUMN updated_at TEXT;
ALTER TABLE round_supplier ADD COLUMN deleted_at TEXT;
UPDATE round_supplier SET updated_at = created_at;
ALTER TABLE purchase_order_line ADD COLUMN deleted_at TEXT;
ALTER TABLE payment_due ADD COLUMN deleted_at TEXT;

-- The devices (laptops) that issued numbers in this workspace, each with its own prefix: the device
-- that created the workspace numbers without one, every other device with a letter of its own.
-- A laptop that replaces another takes over its prefix (and its count); the one replaced is deleted.
CREATE TABLE device (
  id TEXT PRIMARY KEY,
  prefix TEXT NOT NULL CHECK (prefix = '' OR (length(prefix) BETWEEN 1 AND 3 AND prefix NOT GLOB '*[^A-Z]*')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX device_prefix ON device (prefix) WHERE deleted_at IS NULL;

-- Named number series and their formats, e.g. PO-{yyyy}-{nnnn}.
CREATE TABLE number_format (
  series TEXT PRIMARY KEY CHECK (length(series) BETWEEN 1 AND 40),
  format TEXT NOT NULL CHECK (length(format) BETWEEN 1 AND 60),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- The next number per series, period (the year, for yearly formats) and device prefix.
CREATE TABLE number_counter (
  series TEXT NOT NULL REFERENCES number_format (series),
  period TEXT NOT NULL,
  prefix TEXT NOT NULL,
  next INTEGER NOT NULL CHECK (next >= 1),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (series, period, prefix)
) STRICT;

-- Every number ever issued, with its document: never changed, never removed, never given twice.
CREATE TABLE issued_number (
  series TEXT NOT NULL REFERENCES number_format (series),
  number TEXT NOT NULL,
  document_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  PRIMARY KEY (series, number)
) STRICT;
CREATE TRIGGER issued_number_no_update BEFORE UPDATE ON issued_number
BEGIN SELECT RAISE(ABORT, 'issued numbers are immutable'); END;
CREATE TRIGGER issued_number_no_delete BEFORE DELETE ON issued_number
BEGIN SELECT RAISE(ABORT, 'issued numbers are immutable'); END;

-- The reference data every workspace starts with.
${seedSql}

INSERT INTO number_format (series, format, created_at, updated_at) VALUES ('purchase_order', 'PO-{yyyy}-{nnnn}', '${SEED_STAMP}', '${SEED_STAMP}');

-- Purchase orders numbered before: their counters and their numbers move into the new tables.
INSERT INTO number_counter (series, period, prefix, next, created_at, updated_at)
  SELECT 'purchase_order', CAST(year AS TEXT), '', next, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM number_series WHERE series = 'PO';
INSERT INTO issued_number (series, number, document_id, device_id, issued_at)
  SELECT 'purchase_order', po.number, po.id, w.created_by_device, po.created_at FROM purchase_order po, workspace w;
INSERT INTO device (id, prefix, created_at, updated_at)
  SELECT created_by_device, '', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM workspace
  WHERE EXISTS (SELECT 1 FROM issued_number);
DROP TABLE number_series;
`
