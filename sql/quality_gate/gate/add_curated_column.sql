-- slot curated_table: identifier
-- A column Airbyte added to RAW reaches curated; its name and type come from RAW when the gate runs.
ALTER TABLE {curated_table} ADD COLUMN {{column}} {{column_type}}
