import { SEED_STAMP } from '../tables.ts'

/**
 * Invoices (issue 11): deposit requests, final invoices and credit notes.
 *
 * - `invoice`: one document for a buyer in a round. A draft holds what the coordinator decides (due date,
 *   shipping charge, other charges, notes); its lines are computed from the delivered quantities until it
 *   is issued. Issuing takes the next number of the document's series (invoice RE-…, credit note ST-…,
 *   deposit request AN-…) in the same transaction, writes the lines, the totals and the document as
 *   printed (`document`, JSON), stores its PDF and XML in `invoice_file`, and chains a hash to the
 *   previously issued document (`seq`, `prev_hash`, `hash`).
 * - Issued invoices and their lines never change and are never removed: triggers refuse UPDATE and DELETE
 *   of an issued invoice, and any change to lines of an issued invoice, whatever code asks. A correction
 *   is a credit note (`credits_id`: the invoice it cancels) and a new invoice.
 * - `payment` and `payment_allocation`: money received (a deposit by hand now; bank statements with
 *   issue 12) and what of it settles which document; a final invoice deducts the deposits paid.
 *   `bank_statement`: an imported statement, so that its entries are booked once.
 * - The organisation's invoicing settings: how shipping is taxed (at the standard rate in full, or split
 *   over the goods' rates), the deposit share, the days to pay. A buyer may ask for XRechnung.
 */
export default `
ALTER TABLE organisation ADD COLUMN shipping_vat TEXT NOT NULL DEFAULT 'standard' CHECK (shipping_vat IN ('standard', 'split'));
ALTER TABLE organisation ADD COLUMN deposit_share_bp INTEGER NOT NULL DEFAULT 5000 CHECK (deposit_share_bp BETWEEN 0 AND 10000);
ALTER TABLE organisation ADD COLUMN payment_days INTEGER NOT NULL DEFAULT 14 CHECK (payment_days BETWEEN 0 AND 365);
ALTER TABLE buyer ADD COLUMN einvoice_profile TEXT NOT NULL DEFAULT 'en16931' CHECK (einvoice_profile IN ('en16931', 'xrechnung'));
ALTER TABLE buyer ADD COLUMN buyer_reference TEXT CHECK (buyer_reference IS NULL OR length(buyer_reference) BETWEEN 1 AND 100);

CREATE TABLE invoice (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note', 'deposit')),
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
  round_id TEXT NOT NULL REFERENCES round (id),
  buyer_id TEXT NOT NULL REFERENCES buyer (id),
  credits_id TEXT REFERENCES invoice (id),
  number TEXT UNIQUE,
  seq INTEGER UNIQUE,
  issue_date TEXT,
  delivery_date TEXT,
  due_date TEXT,
  language TEXT CHECK (language IS NULL OR language IN ('de', 'es', 'en')),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  vat_case TEXT CHECK (vat_case IS NULL OR vat_case IN ('domestic', 'eu_consumer', 'intra_eu', 'export', 'small_business')),
  shipping_minor INTEGER NOT NULL DEFAULT 0 CHECK (shipping_minor >= 0),
  charges TEXT NOT NULL DEFAULT '[]',
  deposit_share_bp INTEGER CHECK (deposit_share_bp IS NULL OR deposit_share_bp BETWEEN 0 AND 10000),
  net_minor INTEGER NOT NULL DEFAULT 0,
  vat_minor INTEGER NOT NULL DEFAULT 0,
  gross_minor INTEGER NOT NULL DEFAULT 0,
  prepaid_minor INTEGER NOT NULL DEFAULT 0,
  due_minor INTEGER NOT NULL DEFAULT 0,
  payment_reference TEXT,
  notes TEXT CHECK (notes IS NULL OR length(notes) <= 2000),
  document TEXT,
  prev_hash TEXT,
  hash TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK (status = 'draft' OR (number IS NOT NULL AND seq IS NOT NULL AND issue_date IS NOT NULL AND document IS NOT NULL AND hash IS NOT NULL)),
  CHECK ((kind = 'credit_note') = (credits_id IS NOT NULL))
) STRICT;
CREATE INDEX invoice_round ON invoice (round_id, buyer_id);
CREATE INDEX invoice_credits ON invoice (credits_id);
CREATE TRIGGER invoice_issued_no_update BEFORE UPDATE ON invoice WHEN OLD.status = 'issued'
BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable'); END;
CREATE TRIGGER invoice_issued_no_delete BEFORE DELETE ON invoice WHEN OLD.status = 'issued'
BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable'); END;

CREATE TABLE invoice_line (
  id TEXT PRIMARY KEY,
  invoice_id TEXT NOT NULL REFERENCES invoice (id),
  position INTEGER NOT NULL CHECK (position >= 1),
  kind TEXT NOT NULL CHECK (kind IN ('goods', 'shipping', 'charge', 'deposit')),
  product_id TEXT REFERENCES product (id),
  description TEXT NOT NULL,
  quantity_milli INTEGER NOT NULL,
  ordered_milli INTEGER,
  tolerance_milli INTEGER,
  unit_price_minor INTEGER NOT NULL,
  net_minor INTEGER NOT NULL,
  vat_category TEXT NOT NULL CHECK (vat_category IN ('S', 'E', 'K', 'G', 'Z')),
  rate_bp INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  UNIQUE (invoice_id, position)
) STRICT;
CREATE TRIGGER invoice_line_issued_no_insert BEFORE INSERT ON invoice_line
  WHEN (SELECT status FROM invoice WHERE id = NEW.invoice_id) = 'issued'
BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable'); END;
CREATE TRIGGER invoice_line_issued_no_update BEFORE UPDATE ON invoice_line
  WHEN (SELECT status FROM invoice WHERE id = OLD.invoice_id) = 'issued' OR (SELECT status FROM invoice WHERE id = NEW.invoice_id) = 'issued'
BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable'); END;
CREATE TRIGGER invoice_line_issued_no_delete BEFORE DELETE ON invoice_line
  WHEN (SELECT status FROM invoice WHERE id = OLD.invoice_id) = 'issued'
BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable'); END;

-- The PDF and the XML of an issued document, as they were issued (append-only).
CREATE TABLE invoice_file (
  invoice_id TEXT PRIMARY KEY REFERENCES invoice (id),
  pdf BLOB NOT NULL,
  xml TEXT,
  sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER invoice_file_no_update BEFORE UPDATE ON invoice_file
BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable'); END;
CREATE TRIGGER invoice_file_no_delete BEFORE DELETE ON invoice_file
BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable'); END;

-- Money in and out (issue 12 builds on it): bank transfers, from a statement or entered by hand, and cash.
-- A bank entry's identity (entry_key) is unique, so a statement imported twice books nothing twice.
CREATE TABLE bank_statement (
  id TEXT PRIMARY KEY,
  account_iban TEXT,
  statement_ref TEXT,
  file_name TEXT,
  file_sha256 TEXT NOT NULL,
  from_on TEXT,
  to_on TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE TABLE payment (
  id TEXT PRIMARY KEY,
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  method TEXT NOT NULL CHECK (method IN ('bank', 'cash')),
  buyer_id TEXT REFERENCES buyer (id),
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  booked_on TEXT NOT NULL,
  counterparty TEXT,
  counterparty_iban TEXT,
  reference TEXT,
  statement_id TEXT REFERENCES bank_statement (id),
  entry_key TEXT UNIQUE,
  note TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX payment_buyer ON payment (buyer_id);
-- What of a payment settles which document (a deposit request, an invoice; several at once, or part).
CREATE TABLE payment_allocation (
  id TEXT PRIMARY KEY,
  payment_id TEXT NOT NULL REFERENCES payment (id),
  invoice_id TEXT NOT NULL REFERENCES invoice (id),
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX payment_allocation_invoice ON payment_allocation (invoice_id);
CREATE INDEX payment_allocation_payment ON payment_allocation (payment_id);

INSERT INTO number_format (series, format, created_at, updated_at) VALUES ('invoice', 'RE-{yyyy}-{nnnnn}', '${SEED_STAMP}', '${SEED_STAMP}');
INSERT INTO number_format (series, format, created_at, updated_at) VALUES ('credit_note', 'ST-{yyyy}-{nnnnn}', '${SEED_STAMP}', '${SEED_STAMP}');
INSERT INTO number_format (series, format, created_at, updated_at) VALUES ('deposit', 'AN-{yyyy}-{nnnnn}', '${SEED_STAMP}', '${SEED_STAMP}');
`
