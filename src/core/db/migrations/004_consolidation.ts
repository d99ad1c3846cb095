/**
 * Consolidation: how each round turns orders into cases (rounding policy per round, overridable per
 * product), how shortfalls are cut (strategy per round), the stored allocation per order line with
 * the coordinator's overrides, purchase orders per cooperative or exporter of record with payment
 * terms, confirmed/received quantities, and the organisation's stock fed by surplus.
 */
export default `
ALTER TABLE round ADD COLUMN rounding_policy TEXT NOT NULL DEFAULT 'tolerance_fill'
  CHECK (rounding_policy IN ('tolerance_fill', 'threshold', 'always_up', 'exact'));
ALTER TABLE round ADD COLUMN threshold_bp INTEGER NOT NULL DEFAULT 5000 CHECK (threshold_bp BETWEEN 0 AND 10000);
ALTER TABLE round ADD COLUMN cut_strategy TEXT NOT NULL DEFAULT 'first_come' CHECK (cut_strategy IN ('first_come', 'pro_rata'));

ALTER TABLE round_product ADD COLUMN rounding_policy TEXT
  CHECK (rounding_policy IS NULL OR rounding_policy IN ('tolerance_fill', 'threshold', 'always_up', 'exact'));
ALTER TABLE round_product ADD COLUMN threshold_bp INTEGER CHECK (threshold_bp IS NULL OR threshold_bp BETWEEN 0 AND 10000);

-- A cooperative can ship through an exporter of record, which then gets one purchase order for all of them.
ALTER TABLE supplier ADD COLUMN exporter_id TEXT REFERENCES supplier (id);
ALTER TABLE supplier ADD COLUMN min_order_minor INTEGER CHECK (min_order_minor IS NULL OR min_order_minor >= 0);
ALTER TABLE supplier ADD COLUMN min_order_currency TEXT;
ALTER TABLE supplier ADD COLUMN min_order_action TEXT NOT NULL DEFAULT 'warn' CHECK (min_order_action IN ('warn', 'hold'));
ALTER TABLE product ADD COLUMN min_order_action TEXT NOT NULL DEFAULT 'warn' CHECK (min_order_action IN ('warn', 'hold'));

CREATE TABLE purchase_order (
  id TEXT PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  round_id TEXT NOT NULL REFERENCES round (id),
  supplier_id TEXT NOT NULL REFERENCES supplier (id),
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'confirmed')),
  language TEXT NOT NULL DEFAULT 'es' CHECK (language IN ('de', 'es', 'en')),
  currency TEXT NOT NULL,
  incoterm TEXT NOT NULL DEFAULT 'FCA' CHECK (incoterm IN ('EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF')),
  incoterm_place TEXT,
  ship_date TEXT,
  notes TEXT,
  sent_at TEXT,
  confirmed_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  UNIQUE (round_id, supplier_id)
) STRICT;

-- A purchase order's number never changes once given.
CREATE TRIGGER purchase_order_number_fixed BEFORE UPDATE OF number ON purchase_order
WHEN NEW.number IS NOT OLD.number
BEGIN SELECT RAISE(ABORT, 'purchase order numbers are immutable'); END;

CREATE TABLE purchase_order_line (
  id TEXT PRIMARY KEY,
  purchase_order_id TEXT NOT NULL REFERENCES purchase_order (id),
  product_id TEXT NOT NULL REFERENCES product (id),
  cases INTEGER NOT NULL CHECK (cases >= 0),
  units INTEGER NOT NULL CHECK (units >= 0),
  unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
  confirmed_units INTEGER CHECK (confirmed_units IS NULL OR confirmed_units >= 0),
  received_units INTEGER CHECK (received_units IS NULL OR received_units >= 0),
  broken_units INTEGER NOT NULL DEFAULT 0 CHECK (broken_units >= 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (purchase_order_id, product_id)
) STRICT;

CREATE TABLE payment_due (
  id TEXT PRIMARY KEY,
  purchase_order_id TEXT NOT NULL REFERENCES purchase_order (id),
  position INTEGER NOT NULL,
  label TEXT NOT NULL CHECK (label IN ('before_shipping', 'after_arrival', 'on_order', 'other')),
  share_bp INTEGER NOT NULL CHECK (share_bp BETWEEN 0 AND 10000),
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  due_date TEXT,
  paid_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- The result of the last consolidation per order line and stage (what each buyer gets).
CREATE TABLE allocation (
  line_id TEXT NOT NULL REFERENCES order_line (id),
  stage TEXT NOT NULL CHECK (stage IN ('planned', 'confirmed', 'received')),
  granted INTEGER NOT NULL CHECK (granted >= 0),
  computed_at TEXT NOT NULL,
  PRIMARY KEY (line_id, stage)
) STRICT;

-- A coordinator's decision that replaces the computed result of one line, with the reason.
CREATE TABLE allocation_override (
  id TEXT PRIMARY KEY,
  line_id TEXT NOT NULL REFERENCES order_line (id),
  granted INTEGER NOT NULL CHECK (granted >= 0),
  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  device_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX allocation_override_line ON allocation_override (line_id) WHERE deleted_at IS NULL;

CREATE TABLE stock_movement (
  id TEXT PRIMARY KEY,
  product_id TEXT NOT NULL REFERENCES product (id),
  round_id TEXT REFERENCES round (id),
  units INTEGER NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('surplus', 'sale', 'correction', 'breakage')),
  note TEXT,
  at TEXT NOT NULL,
  device_id TEXT NOT NULL
) STRICT;
CREATE INDEX stock_movement_product ON stock_movement (product_id);
CREATE TRIGGER stock_movement_no_update BEFORE UPDATE ON stock_movement
BEGIN SELECT RAISE(ABORT, 'stock movements are append-only'); END;
CREATE TRIGGER stock_movement_no_delete BEFORE DELETE ON stock_movement
BEGIN SELECT RAISE(ABORT, 'stock movements are append-only'); END;

-- Number series per device, so that a second device can never issue the same number.
CREATE TABLE number_series (
  series TEXT NOT NULL,
  year INTEGER NOT NULL,
  next INTEGER NOT NULL CHECK (next >= 1),
  PRIMARY KEY (series, year)
) STRICT;
`
