-- The consent log is append-only in the database itself, not only in charte's
-- code: a decision, once recorded, can be neither changed nor removed (nor
-- truncated), and the log head moves only forward, onto the last recorded
-- decision, as the append does in the same transaction as its inserts. This
-- stops a mistaken or careless statement; it does not stop someone who may
-- drop triggers, which the chain and its signed checkpoints are there to
-- expose. SQLSTATE 23001 (restrict_violation) marks the refusals.
CREATE FUNCTION decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the consent log is append-only: % of a recorded decision refused', TG_OP
		USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER decisions_no_update_delete BEFORE UPDATE OR DELETE ON decisions
	FOR EACH ROW EXECUTE FUNCTION decisions_append_only();
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions
	FOR EACH STATEMENT EXECUTE FUNCTION decisions_append_only();

CREATE FUNCTION log_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'UPDATE' THEN
		RAISE EXCEPTION 'the consent log head cannot be removed (%)', TG_OP
			USING ERRCODE = 'restrict_violation';
	END IF;
	IF NEW.one IS DISTINCT FROM OLD.one
		OR NEW.seq <= OLD.seq
		OR NOT EXISTS (SELECT 1 FROM decisions d WHERE d.seq = NEW.seq AND d.id = NEW.id AND d.hash = NEW.hash)
		OR EXISTS (SELECT 1 FROM decisions d WHERE d.seq > NEW.seq) THEN
		RAISE EXCEPTION 'the consent log head moves only forward, onto the last recorded decision'
			USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER log_head_forward_only BEFORE UPDATE OR DELETE ON log_head
	FOR EACH ROW EXECUTE FUNCTION log_head_forward_only();
CREATE TRIGGER log_head_no_truncate BEFORE TRUNCATE ON log_head
	FOR EACH STATEMENT EXECUTE FUNCTION log_head_forward_only();
