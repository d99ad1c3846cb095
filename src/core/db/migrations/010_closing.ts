/**
 * Money out to the exporter, distribution day and closing the round (issue 12).
 *
 * - `supplier_payment`: a payment to the exporter of record (or a cooperative) for a purchase order, in the
 *   order's currency, with what it actually cost in the organisation's currency (`base_minor`), so the
 *   exchange difference against the goods' value at the customs rate is known. It may settle one of the
 *   order's payment terms (`payment_due_id`: the prepayment, the balance).
 * - `distribution_check`: the on-screen tick list at the hub, one row per order line handed out: ticked,
 *   the count taken, units missing or damaged (which become a proposed credit note) and a note.
 * - `round_closing`: the closing of a round as it was computed when the coordinator closed it (figures as
 *   JSON, the result, the contributions and the reserve), and `round_closing_event`, the append-only record
 *   of every close and reopen with its reason. A closed round (status 'settled') is locked: triggers refuse
 *   new invoices, exporter payments, tick-list changes and shipment costs of its round, whatever code asks.
 */
export default `
CREATE TABLE supplier_payment (
  id TEXT PRIMARY KEY,
  purchase_order_id TEXT NOT NULL REFERENCES purchase_order (id),
  payment_due_id TEXT REFERENCES payment_due (id),
  paid_on TEXT NOT NULL,
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  base_minor INTEGER NOT NULL CHECK (base_minor > 0),
  base_currency TEXT NOT NULL CHECK (length(base_currency) = 3),
  note TEXT CHECK (note IS NULL OR length(note) <= 500),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX supplier_payment_order ON supplier_payment (purchase_order_id);

CREATE TABLE distribution_check (
  id TEXT PRIMARY KEY,
  round_id TEXT NOT NULL REFERENCES round (id),
  line_id TEXT NOT NULL REFERENCES order_line (id),
  ticked INTEGER NOT NULL DEFAULT 0 CHECK (ticked IN (0, 1)),
  -- In the product's steps, like every quantity of it.
  counted INTEGER CHECK (counted IS NULL OR counted >= 0),
  missing INTEGER NOT NULL DEFAULT 0 CHECK (missing >= 0),
  damaged INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0),
  note TEXT CHECK (note IS NULL OR length(note) <= 500),
  device_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX distribution_check_line ON distribution_check (line_id) WHERE deleted_at IS NULL;
CREATE INDEX distribution_check_round ON distribution_check (round_id);

CREATE TABLE round_closing (
  id TEXT PRIMARY KEY,
  round_id TEXT NOT NULL REFERENCES round (id),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  result_minor INTEGER NOT NULL,
  contributions_minor INTEGER NOT NULL,
  reserve_minor INTEGER NOT NULL,
  figures TEXT NOT NULL,
  closed_on TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK (result_minor = contributions_minor + reserve_minor)
) STRICT;
CREATE UNIQUE INDEX round_closing_round ON round_closing (round_id) WHERE deleted_at IS NULL;

CREATE TABLE round_closing_event (
  id TEXT PRIMARY KEY,
  round_id TEXT NOT NULL REFERENCES round (id),
  action TEXT NOT NULL CHECK (action IN ('close', 'reopen')),
  reason TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
  device_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (action = 'close' OR reason IS NOT NULL)
) STRICT;
CREATE INDEX round_closing_event_round ON round_closing_event (round_id, created_at);
CREATE TRIGGER round_closing_event_no_update BEFORE UPDATE ON round_closing_event
BEGIN SELECT RAISE(ABORT, 'round_closing_event is append-only'); END;
CREATE TRIGGER round_closing_event_no_delete BEFORE DELETE ON round_closing_event
BEGIN SELECT RAISE(ABORT, 'round_closing_event is append-only'); END;

-- A closed round is locked.
CREATE TRIGGER invoice_round_locked_insert BEFORE INSERT ON invoice
  WHEN (SELECT status FROM round WHERE id = NEW.round_id) = 'settled'
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER invoice_round_locked_update BEFORE UPDATE ON invoice
  WHEN (SELECT status FROM round WHERE id = NEW.round_id) = 'settled'
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER supplier_payment_round_locked BEFORE INSERT ON supplier_payment
  WHEN (SELECT r.status FROM purchase_order po JOIN round r ON r.id = po.round_id WHERE po.id = NEW.purchase_order_id) = 'settled'
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER supplier_payment_round_locked_update BEFORE UPDATE ON supplier_payment
  WHEN (SELECT r.status FROM purchase_order po JOIN round r ON r.id = po.round_id WHERE po.id = OLD.purchase_order_id) = 'settled'
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER distribution_check_round_locked_insert BEFORE INSERT ON distribution_check
  WHEN (SELECT status FROM round WHERE id = NEW.round_id) = 'settled'
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER distribution_check_round_locked_update BEFORE UPDATE ON distribution_check
  WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'settled'
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER cost_line_round_locked_insert BEFORE INSERT ON cost_line
  WHEN (SELECT r.status FROM shipment s JOIN round r ON r.id = s.round_id WHERE s.id = NEW.shipment_id) = 'settled'
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER cost_line_round_locked_update BEFORE UPDATE ON cost_line
  WHEN (SELECT r.status FROM shipment s JOIN round r ON r.id = s.round_id WHERE s.id = OLD.shipment_id) = 'settled'
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER landed_cost_line_round_locked BEFORE INSERT ON landed_cost_line
  WHEN (SELECT r.status FROM shipment s JOIN round r ON r.id = s.round_id WHERE s.id = NEW.shipment_id) = 'settled'
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
`
