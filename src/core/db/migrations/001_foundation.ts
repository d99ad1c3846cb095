/**
 * The foundation: the workspace's identity and the organisation that runs it. Every table follows the
 * same conventions: a UUID text key, created/updated stamps (ISO 8601 UTC), a deleted_at for soft delete.
 */
export default `
CREATE TABLE workspace (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by_device TEXT NOT NULL,
  created_with_version TEXT NOT NULL
) STRICT;

CREATE TABLE organisation (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  street TEXT,
  postal_code TEXT,
  city TEXT,
  country TEXT NOT NULL CHECK (length(country) = 2),
  tax_number TEXT,
  vat_id TEXT,
  eori TEXT,
  iban TEXT,
  bic TEXT,
  bank_name TEXT,
  email TEXT,
  phone TEXT,
  small_business INTEGER NOT NULL DEFAULT 0 CHECK (small_business IN (0, 1)),
  default_language TEXT NOT NULL DEFAULT 'de' CHECK (default_language IN ('de', 'es', 'en')),
  default_currency TEXT NOT NULL DEFAULT 'EUR' CHECK (length(default_currency) = 3),
  logo BLOB,
  logo_mime TEXT CHECK (logo_mime IS NULL OR logo_mime IN ('image/png', 'image/jpeg')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
`
