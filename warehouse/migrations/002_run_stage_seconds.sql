-- 002: where a run spent its time, for the run report and for analysts comparing runs.
ALTER TABLE runs ADD COLUMN stage_seconds JSON;
COMMENT ON COLUMN runs.stage_seconds IS 'Seconds spent per stage (discover, read, extract, strip, language, load), summed over batches; written when the run finishes.';
