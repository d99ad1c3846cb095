/**
 * Goods ordered in steps and billed per case. A product sold by weight, area or volume can be ordered in
 * steps of its sales unit (0.5 kg, 0.01 m²): every quantity of the product — order lines and their log,
 * allocations and their overrides, stock movements, purchase-order lines — then counts steps of
 * step_milli thousandths of the unit (1000: whole units, as before). Because stored quantities mean steps,
 * the step cannot change once the product has any; a trigger refuses it whatever code asks.
 *
 * A cooperative that bills per case quotes its price for one case (price_per_case); a purchase-order line
 * keeps the quantity ×1000 its unit price is for (price_per_milli: the case size, or NULL for one unit), so
 * its amount is the exact quantity × price / price_per_milli, to the cent.
 */
export default `
ALTER TABLE product ADD COLUMN step_milli INTEGER NOT NULL DEFAULT 1000 CHECK (step_milli BETWEEN 1 AND 1000000);
ALTER TABLE product ADD COLUMN price_per_case INTEGER NOT NULL DEFAULT 0 CHECK (price_per_case IN (0, 1));

CREATE TRIGGER product_step_in_use BEFORE UPDATE OF step_milli ON product
WHEN NEW.step_milli <> OLD.step_milli AND (
  EXISTS (SELECT 1 FROM order_line WHERE product_id = OLD.id)
  OR EXISTS (SELECT 1 FROM purchase_order_line WHERE product_id = OLD.id)
  OR EXISTS (SELECT 1 FROM stock_movement WHERE product_id = OLD.id))
BEGIN SELECT RAISE(ABORT, 'product step in use'); END;

ALTER TABLE purchase_order_line ADD COLUMN price_per_milli INTEGER CHECK (price_per_milli IS NULL OR price_per_milli > 0);
`
