-- Wakes idle indexers in every process when a job becomes ready to lease: a row queued (inserted, or put back by
-- a retry, a recovery or a re-index) sends NOTIFY neptune_jobs at commit. PostgreSQL folds equal notifications of one
-- transaction into one, so a bulk enqueue wakes each listener once. Listeners still poll: a notification is a hint.
CREATE FUNCTION neptune_jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('neptune_jobs', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER tr_jobs_notify
    AFTER INSERT OR UPDATE OF state, run_after ON jobs
    FOR EACH ROW WHEN (NEW.state = 'queued')
    EXECUTE FUNCTION neptune_jobs_notify();
