/**
 * Order rounds, their price lists and the buyers' orders. Order quantities are never overwritten: every
 * change is a row appended to quantity_log (the order of arrival decides fair cuts later). A trigger keeps
 * each line's current quantity as the sum of its log; two more make the log append-only.
 */
export default `
CREATE TABLE round (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  opens_at TEXT NOT NULL,
  closes_at TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'open', 'closed', 'ordered', 'received', 'invoiced', 'settled')),
  currency TEXT NOT NULL REFERENCES currency (code),
  markup_bp INTEGER NOT NULL DEFAULT 0 CHECK (markup_bp BETWEEN 0 AND 100000),
  contribution_minor INTEGER NOT NULL DEFAULT 0 CHECK (contribution_minor >= 0),
  rounding_step_minor INTEGER NOT NULL DEFAULT 1 CHECK (rounding_step_minor >= 1),
  rate_date TEXT,
  notes TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK (closes_at > opens_at)
) STRICT;

CREATE TABLE round_supplier (
  round_id TEXT NOT NULL REFERENCES round (id),
  supplier_id TEXT NOT NULL REFERENCES supplier (id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (round_id, supplier_id)
) STRICT;

CREATE TABLE round_product (
  id TEXT PRIMARY KEY,
  round_id TEXT NOT NULL REFERENCES round (id),
  product_id TEXT NOT NULL REFERENCES product (id),
  price_minor INTEGER CHECK (price_minor IS NULL OR price_minor >= 0),
  price_manual INTEGER NOT NULL DEFAULT 0 CHECK (price_manual IN (0, 1)),
  rate_e8 INTEGER,
  rate_valid_on TEXT,
  blocked INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
  block_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (round_id, product_id)
) STRICT;

CREATE TABLE buyer_order (
  id TEXT PRIMARY KEY,
  round_id TEXT NOT NULL REFERENCES round (id),
  buyer_id TEXT NOT NULL REFERENCES buyer (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  UNIQUE (round_id, buyer_id)
) STRICT;

CREATE TABLE order_line (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES buyer_order (id),
  product_id TEXT NOT NULL REFERENCES product (id),
  sub_buyer_id TEXT REFERENCES buyer (id),
  -- Kept by the trigger below as the sum of the line's quantity log; never written directly.
  quantity INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),
  tolerance INTEGER NOT NULL DEFAULT 0 CHECK (tolerance >= 0),
  first_at TEXT,
  last_at TEXT,
  log_entries INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX order_line_key ON order_line (order_id, product_id, coalesce(sub_buyer_id, ''));
CREATE INDEX order_line_product ON order_line (product_id);

CREATE TABLE quantity_log (
  id TEXT PRIMARY KEY,
  line_id TEXT NOT NULL REFERENCES order_line (id),
  quantity_delta INTEGER NOT NULL,
  tolerance_delta INTEGER NOT NULL,
  at TEXT NOT NULL,
  device_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('entry', 'import', 'correction')),
  CHECK (quantity_delta <> 0 OR tolerance_delta <> 0)
) STRICT;
CREATE INDEX quantity_log_line ON quantity_log (line_id, at);

CREATE TRIGGER quantity_log_no_update BEFORE UPDATE ON quantity_log
BEGIN SELECT RAISE(ABORT, 'quantity_log is append-only'); END;
CREATE TRIGGER quantity_log_no_delete BEFORE DELETE ON quantity_log
BEGIN SELECT RAISE(ABORT, 'quantity_log is append-only'); END;

CREATE TRIGGER quantity_log_sum AFTER INSERT ON quantity_log
BEGIN
  UPDATE order_line SET quantity = quantity + NEW.quantity_delta, tolerance = tolerance + NEW.tolerance_delta,
    first_at = coalesce(first_at, NEW.at), last_at = NEW.at, log_entries = log_entries + 1
  WHERE id = NEW.line_id;
END;

-- Current quantities of every line (the cached sums of its log).
CREATE VIEW line_quantity AS
  SELECT id AS line_id, order_id, product_id, sub_buyer_id, quantity, tolerance, first_at, last_at FROM order_line;
`
