-- An erased tenant keeps its row as a tombstone: its invoices, usage and audit trail still refer
-- to it (billing records must survive), while everything else it owned is gone.
ALTER TABLE tenants DROP CONSTRAINT tenants_status_check;
ALTER TABLE tenants ADD CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended', 'erased'));
ALTER TABLE tenants ADD COLUMN erased_at timestamptz;
