-- Credits larger than an invoice: a total never goes below zero; the unused credit is carried to
-- the next open period as a line of its own, shown on both invoices ("credit carried to 2026-12"
-- on the one that could not use it, "credit carried from 2026-11" on the next).

ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_kind_check;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_kind_check
    CHECK (kind IN ('base_fee', 'usage', 'late_usage', 'adjustment', 'credit_brought_forward', 'credit_carried_forward'));

-- the other end of a carried credit: the period it came from (brought forward) or goes to (carried forward)
ALTER TABLE invoice_lines ADD COLUMN credit_period text CHECK (credit_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$');
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_credit_kind_check
    CHECK ((kind IN ('credit_brought_forward', 'credit_carried_forward')) = (credit_period IS NOT NULL));

-- Finalized invoices never change, so ones stored before this rule are left as they are (NOT
-- VALID); every invoice finalized from now on has a total of zero or more.
ALTER TABLE invoices ADD CONSTRAINT invoices_total_not_negative CHECK (total >= 0) NOT VALID;
