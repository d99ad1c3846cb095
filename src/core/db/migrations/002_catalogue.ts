/**
 * Catalogue, buyers and reference data. Quantities that may be fractional are stored as integers in
 * thousandths (`_milli`), weights in grams, volumes in cm³, money in minor units, rates in basis points
 * (1900 = 19 %) and exchange rates scaled by 10^8: no binary floats anywhere.
 */
export default `
CREATE TABLE supplier (
  id TEXT PRIMARY KEY,
  code TEXT CHECK (code IS NULL OR length(code) BETWEEN 1 AND 12),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  short_name TEXT,
  legal_form TEXT,
  kind TEXT,
  cuit TEXT,
  street TEXT,
  postal_code TEXT,
  city TEXT,
  province TEXT,
  country TEXT NOT NULL CHECK (length(country) = 2),
  sector TEXT,
  source_url TEXT,
  notes TEXT,
  cbu TEXT,
  iban TEXT,
  bic TEXT,
  bank_name TEXT,
  exporter_of_record INTEGER NOT NULL DEFAULT 0 CHECK (exporter_of_record IN (0, 1)),
  archived_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX supplier_code ON supplier (code) WHERE code IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX supplier_name ON supplier (name COLLATE NOCASE);

CREATE TABLE buyer (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  type TEXT NOT NULL CHECK (type IN ('group', 'shop', 'hub', 'individual')),
  street TEXT,
  postal_code TEXT,
  city TEXT,
  country TEXT NOT NULL CHECK (length(country) = 2),
  language TEXT NOT NULL CHECK (language IN ('de', 'es', 'en')),
  vat_id TEXT,
  tax_treatment TEXT NOT NULL CHECK (tax_treatment IN ('domestic', 'eu_business', 'export', 'eu_consumer')),
  hub_id TEXT REFERENCES buyer (id),
  delivery_preference TEXT,
  notes TEXT,
  archived_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK (hub_id IS NULL OR hub_id <> id)
) STRICT;
CREATE INDEX buyer_name ON buyer (name COLLATE NOCASE);
CREATE INDEX buyer_hub ON buyer (hub_id);

CREATE TABLE contact (
  id TEXT PRIMARY KEY,
  supplier_id TEXT REFERENCES supplier (id),
  buyer_id TEXT REFERENCES buyer (id),
  position INTEGER NOT NULL DEFAULT 0,
  name TEXT,
  email TEXT,
  phone TEXT,
  language TEXT CHECK (language IS NULL OR language IN ('de', 'es', 'en')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK ((supplier_id IS NULL) <> (buyer_id IS NULL))
) STRICT;
CREATE INDEX contact_supplier ON contact (supplier_id);
CREATE INDEX contact_buyer ON contact (buyer_id);

CREATE TABLE product (
  id TEXT PRIMARY KEY,
  supplier_id TEXT NOT NULL REFERENCES supplier (id),
  sku TEXT NOT NULL CHECK (length(sku) BETWEEN 1 AND 40),
  name_es TEXT,
  name_de TEXT,
  name_en TEXT,
  sales_unit TEXT NOT NULL,
  case_milli INTEGER NOT NULL CHECK (case_milli > 0),
  net_quantity_milli INTEGER CHECK (net_quantity_milli IS NULL OR net_quantity_milli > 0),
  net_unit TEXT,
  gross_g_per_case INTEGER CHECK (gross_g_per_case IS NULL OR gross_g_per_case >= 0),
  volume_cm3_per_case INTEGER CHECK (volume_cm3_per_case IS NULL OR volume_cm3_per_case >= 0),
  hs_code TEXT CHECK (hs_code IS NULL OR (length(hs_code) BETWEEN 6 AND 10 AND hs_code NOT GLOB '*[^0-9]*')),
  origin_country TEXT NOT NULL DEFAULT 'AR' CHECK (length(origin_country) = 2),
  price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  vat_class TEXT NOT NULL CHECK (vat_class IN ('reduced', 'standard', 'zero')),
  animal_origin INTEGER NOT NULL DEFAULT 0 CHECK (animal_origin IN (0, 1)),
  dairy INTEGER NOT NULL DEFAULT 0 CHECK (dairy IN (0, 1)),
  alcohol_permille INTEGER CHECK (alcohol_permille IS NULL OR alcohol_permille BETWEEN 0 AND 1000),
  organic INTEGER NOT NULL DEFAULT 0 CHECK (organic IN (0, 1)),
  heat_sensitive INTEGER NOT NULL DEFAULT 0 CHECK (heat_sensitive IN (0, 1)),
  special_freight INTEGER NOT NULL DEFAULT 0 CHECK (special_freight IN (0, 1)),
  min_order_cases INTEGER NOT NULL DEFAULT 1 CHECK (min_order_cases >= 0),
  available_from TEXT,
  available_until TEXT,
  archived_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK (name_es IS NOT NULL OR name_de IS NOT NULL OR name_en IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX product_sku ON product (supplier_id, sku) WHERE deleted_at IS NULL;
CREATE INDEX product_supplier ON product (supplier_id);

CREATE TABLE currency (
  code TEXT PRIMARY KEY CHECK (length(code) = 3),
  minor_digits INTEGER NOT NULL CHECK (minor_digits BETWEEN 0 AND 4),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;

CREATE TABLE vat_rate (
  id TEXT PRIMARY KEY,
  country TEXT NOT NULL CHECK (length(country) = 2),
  class TEXT NOT NULL CHECK (class IN ('reduced', 'standard', 'zero', 'super_reduced')),
  rate_bp INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK (valid_to IS NULL OR valid_to > valid_from)
) STRICT;
CREATE INDEX vat_rate_lookup ON vat_rate (country, class, valid_from);

CREATE TABLE exchange_rate (
  id TEXT PRIMARY KEY,
  base TEXT NOT NULL REFERENCES currency (code),
  quote TEXT NOT NULL REFERENCES currency (code),
  rate_e8 INTEGER NOT NULL CHECK (rate_e8 > 0),
  valid_on TEXT NOT NULL,
  source TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK (base <> quote)
) STRICT;
CREATE INDEX exchange_rate_lookup ON exchange_rate (base, quote, valid_on);
`
