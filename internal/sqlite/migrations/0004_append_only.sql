-- The consent log is append-only in the database itself, not only in charte's
-- code: a decision, once recorded, can be neither changed nor removed, and the
-- log head moves only forward, onto the last recorded decision, as the append
-- does in the same transaction as its inserts. This stops a mistaken or
-- careless statement; it does not stop someone who may drop triggers, which
-- the chain and its signed checkpoints are there to expose.
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
	SELECT RAISE(ABORT, 'the consent log is append-only: a recorded decision cannot be changed');
END;

CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
	SELECT RAISE(ABORT, 'the consent log is append-only: a recorded decision cannot be removed');
END;

CREATE TRIGGER log_head_no_delete BEFORE DELETE ON log_head
BEGIN
	SELECT RAISE(ABORT, 'the consent log head cannot be removed');
END;

CREATE TRIGGER log_head_forward_only BEFORE UPDATE ON log_head
WHEN NEW.one IS NOT OLD.one
	OR NEW.seq <= OLD.seq
	OR NOT EXISTS (SELECT 1 FROM decisions WHERE seq = NEW.seq AND id = NEW.id AND hash = NEW.hash)
	OR EXISTS (SELECT 1 FROM decisions WHERE seq > NEW.seq)
BEGIN
	SELECT RAISE(ABORT, 'the consent log head moves only forward, onto the last recorded decision');
END;
