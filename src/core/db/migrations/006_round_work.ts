/**
 * A coordinator's round without workarounds: the organisation's time zone (new rounds default to it),
 * rounds recorded after the fact (taken on paper),
 * a solidarity contribution per product unit that goes to the cooperative, the time an order was
 * received (paper and e-mail orders rank by it in first come; a change is kept with its reason), when a
 * purchase order's document was last produced, and the rate each line of a purchase order was converted
 * at when an exporter of record orders for cooperatives that price in another currency.
 */
export default `
ALTER TABLE organisation ADD COLUMN time_zone TEXT CHECK (time_zone IS NULL OR length(time_zone) BETWEEN 1 AND 64);

ALTER TABLE product ADD COLUMN solidarity_minor INTEGER NOT NULL DEFAULT 0 CHECK (solidarity_minor BETWEEN 0 AND 100000000);
ALTER TABLE product ADD COLUMN solidarity_currency TEXT CHECK (solidarity_currency IS NULL OR length(solidarity_currency) = 3);

-- When the order reached the coordinator (paper, e-mail); NULL for orders entered as they came in.
ALTER TABLE buyer_order ADD COLUMN ordered_at TEXT;
-- The time a quantity change was received, when it is not the time it was entered.
ALTER TABLE quantity_log ADD COLUMN received_at TEXT;

DROP TRIGGER quantity_log_sum;
CREATE TRIGGER quantity_log_sum AFTER INSERT ON quantity_log
BEGIN
  UPDATE order_line SET quantity = quantity + NEW.quantity_delta, tolerance = tolerance + NEW.tolerance_delta,
    first_at = CASE WHEN first_at IS NULL OR coalesce(NEW.received_at, NEW.at) < first_at
      THEN coalesce(NEW.received_at, NEW.at) ELSE first_at END,
    last_at = NEW.at, log_entries = log_entries + 1
  WHERE id = NEW.line_id;
END;

-- Every change of an order's received time, with its reason: entries received at from_at count from to_at.
CREATE TABLE order_received_change (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES buyer_order (id),
  from_at TEXT NOT NULL,
  to_at TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  at TEXT NOT NULL,
  device_id TEXT NOT NULL
) STRICT;
CREATE INDEX order_received_change_order ON order_received_change (order_id, at);
CREATE TRIGGER order_received_change_no_update BEFORE UPDATE ON order_received_change
BEGIN SELECT RAISE(ABORT, 'order_received_change is append-only'); END;
CREATE TRIGGER order_received_change_no_delete BEFORE DELETE ON order_received_change
BEGIN SELECT RAISE(ABORT, 'order_received_change is append-only'); END;

-- A round that took place on paper, recorded closed afterwards: it takes the coordinator's orders until it
-- moves on (or is opened, when it becomes an ordinary round).
ALTER TABLE round ADD COLUMN recorded INTEGER NOT NULL DEFAULT 0 CHECK (recorded IN (0, 1));
-- Case filling as food co-ops know it: after box_fill_at buyers may only change orders in ways that fill
-- open cases; extras_to says where units delivered beyond the orders go first (the buyers' tolerance or
-- stock); manual_cut makes the coordinator distribute short products by hand (a third cut strategy
-- beside cut_strategy, whose CHECK cannot grow without rebuilding the table).
ALTER TABLE round ADD COLUMN box_fill_at TEXT;
ALTER TABLE round ADD COLUMN extras_to TEXT NOT NULL DEFAULT 'tolerance' CHECK (extras_to IN ('tolerance', 'stock'));
ALTER TABLE round ADD COLUMN manual_cut INTEGER NOT NULL DEFAULT 0 CHECK (manual_cut IN (0, 1));

ALTER TABLE purchase_order ADD COLUMN document_at TEXT;

-- A line priced in another currency than its order: the supplier's price and the dated rate used.
ALTER TABLE purchase_order_line ADD COLUMN source_currency TEXT CHECK (source_currency IS NULL OR length(source_currency) = 3);
ALTER TABLE purchase_order_line ADD COLUMN source_price_minor INTEGER CHECK (source_price_minor IS NULL OR source_price_minor >= 0);
ALTER TABLE purchase_order_line ADD COLUMN rate_e8 INTEGER CHECK (rate_e8 IS NULL OR rate_e8 > 0);
ALTER TABLE purchase_order_line ADD COLUMN rate_on TEXT;
ALTER TABLE purchase_order_line ADD COLUMN rate_via TEXT;
-- The exact quantity in the product's unit ×1000 (6 cases of 1.44 m² = 8640), for goods sold by area,
-- weight or volume; the line's amount is this × the unit price, to the cent.
ALTER TABLE purchase_order_line ADD COLUMN quantity_milli INTEGER CHECK (quantity_milli IS NULL OR quantity_milli >= 0);
`
