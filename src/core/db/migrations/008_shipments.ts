import { SEED_STAMP } from '../tables.ts'

/**
 * Shipments, customs papers and landed cost (issue 10).
 *
 * - A shipment carries purchase-order lines of one exporter of record (or cooperative) in one round:
 *   `shipment_line` says how much of each line (in the product's steps, and exactly ×1000 in its unit).
 *   Its status moves planned → booked → departed → arrived → cleared → delivered; every move is a row of
 *   the append-only `shipment_event` with its day and a note.
 * - `package`: cartons generated from the shipped cases (one per case), editable, and pallets holding
 *   cartons (`pallet_id`); `package_line` says what each carton holds. Weights in grams, dimensions in mm.
 * - `cost_line`: each bill (freight, insurance, trucking, broker, bank fees) in its own currency with the
 *   dated rate it was converted at into the organisation's currency, its allocation basis and its stage:
 *   up to the EU border (part of the customs value), after the border to the first destination (part of
 *   the import VAT base only), or neither.
 * - `duty_rate`: dated duty rates per CN code (8 digits), optionally for one origin (a preference) and an
 *   alcohol band: ad valorem (basis points), per hl of product, per 100 kg net, or a combination.
 * - `landed_cost_line` / `landed_cost_part`: the last landed-cost result, stored per shipped line and per
 *   cost line × shipped line in minor units of the organisation's currency (auditable; recomputed as a whole).
 * - `organisation.vat_registered`: an organisation that cannot deduct import VAT carries it as a cost.
 */
export default `
ALTER TABLE organisation ADD COLUMN vat_registered INTEGER NOT NULL DEFAULT 1 CHECK (vat_registered IN (0, 1));

CREATE TABLE shipment (
  id TEXT PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  round_id TEXT NOT NULL REFERENCES round (id),
  exporter_id TEXT NOT NULL REFERENCES supplier (id),
  status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'booked', 'departed', 'arrived', 'cleared', 'delivered')),
  mode TEXT NOT NULL DEFAULT 'sea_lcl' CHECK (mode IN ('sea_lcl', 'sea_fcl', 'air', 'courier', 'post')),
  incoterm TEXT NOT NULL DEFAULT 'FCA' CHECK (incoterm IN ('EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF')),
  incoterm_place TEXT,
  port_loading TEXT,
  port_discharge TEXT,
  forwarder TEXT,
  transport_document TEXT,
  container TEXT,
  seal TEXT,
  planned_departure TEXT,
  planned_arrival TEXT,
  departed_on TEXT,
  arrived_on TEXT,
  cleared_on TEXT,
  delivered_on TEXT,
  -- The day whose rate converts the goods' value for customs (the customs rate of the month of clearance).
  customs_rate_on TEXT,
  marks TEXT,
  origin_statement INTEGER NOT NULL DEFAULT 0 CHECK (origin_statement IN (0, 1)),
  destination_country TEXT CHECK (destination_country IS NULL OR length(destination_country) = 2),
  notes TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX shipment_round ON shipment (round_id);
CREATE TRIGGER shipment_number_fixed BEFORE UPDATE OF number ON shipment
WHEN NEW.number IS NOT OLD.number
BEGIN SELECT RAISE(ABORT, 'shipment numbers are immutable'); END;

CREATE TABLE shipment_event (
  id TEXT PRIMARY KEY,
  shipment_id TEXT NOT NULL REFERENCES shipment (id),
  status TEXT NOT NULL CHECK (status IN ('planned', 'booked', 'departed', 'arrived', 'cleared', 'delivered')),
  on_day TEXT NOT NULL,
  note TEXT,
  device_id TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX shipment_event_shipment ON shipment_event (shipment_id, created_at);
CREATE TRIGGER shipment_event_no_update BEFORE UPDATE ON shipment_event
BEGIN SELECT RAISE(ABORT, 'shipment_event is append-only'); END;
CREATE TRIGGER shipment_event_no_delete BEFORE DELETE ON shipment_event
BEGIN SELECT RAISE(ABORT, 'shipment_event is append-only'); END;

CREATE TABLE shipment_line (
  id TEXT PRIMARY KEY,
  shipment_id TEXT NOT NULL REFERENCES shipment (id),
  purchase_order_line_id TEXT NOT NULL REFERENCES purchase_order_line (id),
  -- In the product's steps, and exactly ×1000 in its sales unit (6 cases of 1,44 m² = 8640).
  units INTEGER NOT NULL CHECK (units >= 0),
  quantity_milli INTEGER NOT NULL CHECK (quantity_milli >= 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX shipment_line_po_line ON shipment_line (shipment_id, purchase_order_line_id) WHERE deleted_at IS NULL;
CREATE INDEX shipment_line_po_line_any ON shipment_line (purchase_order_line_id);

CREATE TABLE package (
  id TEXT PRIMARY KEY,
  shipment_id TEXT NOT NULL REFERENCES shipment (id),
  position INTEGER NOT NULL CHECK (position >= 1),
  -- UN/ECE Rec. 21: CT carton, PX pallet, BX box, BG bag, CS case, PK package.
  kind TEXT NOT NULL DEFAULT 'CT' CHECK (length(kind) = 2),
  pallet_id TEXT REFERENCES package (id),
  length_mm INTEGER CHECK (length_mm IS NULL OR length_mm > 0),
  width_mm INTEGER CHECK (width_mm IS NULL OR width_mm > 0),
  height_mm INTEGER CHECK (height_mm IS NULL OR height_mm > 0),
  -- A carton's gross weight, or a pallet's own (tare) weight.
  gross_g INTEGER CHECK (gross_g IS NULL OR gross_g >= 0),
  volume_cm3 INTEGER CHECK (volume_cm3 IS NULL OR volume_cm3 >= 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX package_shipment ON package (shipment_id, position);

CREATE TABLE package_line (
  id TEXT PRIMARY KEY,
  package_id TEXT NOT NULL REFERENCES package (id),
  shipment_line_id TEXT NOT NULL REFERENCES shipment_line (id),
  quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX package_line_package ON package_line (package_id);

CREATE TABLE cost_line (
  id TEXT PRIMARY KEY,
  shipment_id TEXT NOT NULL REFERENCES shipment (id),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  provider TEXT,
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  -- The rate into the organisation's currency (×10^8), the day it is for, and the amount converted.
  rate_e8 INTEGER NOT NULL CHECK (rate_e8 > 0),
  rate_on TEXT NOT NULL,
  base_minor INTEGER NOT NULL CHECK (base_minor >= 0),
  basis TEXT NOT NULL CHECK (basis IN ('value', 'gross_weight', 'volume', 'quantity', 'chargeable')),
  stage TEXT NOT NULL CHECK (stage IN ('to_border', 'to_destination', 'other')),
  billed_on TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX cost_line_shipment ON cost_line (shipment_id);

CREATE TABLE duty_rate (
  id TEXT PRIMARY KEY,
  cn_code TEXT NOT NULL CHECK (length(cn_code) = 8 AND cn_code NOT GLOB '*[^0-9]*'),
  -- An origin country for a preference (AR under EU–Mercosur); NULL: any origin (third-country duty).
  origin TEXT CHECK (origin IS NULL OR length(origin) = 2),
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  -- An alcohol band in thousandths (% vol × 10): the rate applies to products whose strength lies in it.
  alcohol_from_permille INTEGER CHECK (alcohol_from_permille IS NULL OR alcohol_from_permille BETWEEN 0 AND 1000),
  alcohol_to_permille INTEGER CHECK (alcohol_to_permille IS NULL OR alcohol_to_permille BETWEEN 0 AND 1000),
  ad_valorem_bp INTEGER NOT NULL DEFAULT 0 CHECK (ad_valorem_bp BETWEEN 0 AND 100000),
  -- Minor units of the organisation's currency per hectolitre of product, and per 100 kg net.
  per_hl_minor INTEGER NOT NULL DEFAULT 0 CHECK (per_hl_minor >= 0),
  per_100kg_minor INTEGER NOT NULL DEFAULT 0 CHECK (per_100kg_minor >= 0),
  note TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK (valid_to IS NULL OR valid_to > valid_from)
) STRICT;
CREATE INDEX duty_rate_code ON duty_rate (cn_code, valid_from);

CREATE TABLE landed_cost_line (
  id TEXT PRIMARY KEY,
  shipment_id TEXT NOT NULL REFERENCES shipment (id),
  shipment_line_id TEXT NOT NULL REFERENCES shipment_line (id),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  goods_minor INTEGER NOT NULL,
  to_border_minor INTEGER NOT NULL,
  customs_value_minor INTEGER NOT NULL,
  duty_minor INTEGER NOT NULL,
  to_destination_minor INTEGER NOT NULL,
  vat_base_minor INTEGER NOT NULL,
  vat_rate_bp INTEGER NOT NULL,
  vat_minor INTEGER NOT NULL,
  other_minor INTEGER NOT NULL,
  landed_minor INTEGER NOT NULL,
  computed_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX landed_cost_line_shipment ON landed_cost_line (shipment_id);

CREATE TABLE landed_cost_part (
  id TEXT PRIMARY KEY,
  shipment_id TEXT NOT NULL REFERENCES shipment (id),
  cost_line_id TEXT NOT NULL REFERENCES cost_line (id),
  shipment_line_id TEXT NOT NULL REFERENCES shipment_line (id),
  amount_minor INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX landed_cost_part_shipment ON landed_cost_part (shipment_id);

INSERT INTO number_format (series, format, created_at, updated_at) VALUES ('shipment', 'SH-{yyyy}-{nnn}', '${SEED_STAMP}', '${SEED_STAMP}');
`
