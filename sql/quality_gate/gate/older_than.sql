-- slot older: identifier
-- slot cursor_column: identifier
-- slot newer: identifier
(
    {older}.{cursor_column} < {newer}.{cursor_column}
    OR ({older}.{cursor_column} = {newer}.{cursor_column} AND {older}._AIRBYTE_EXTRACTED_AT < {newer}._AIRBYTE_EXTRACTED_AT)
    OR ({older}.{cursor_column} IS NULL AND {newer}.{cursor_column} IS NULL AND {older}._AIRBYTE_EXTRACTED_AT < {newer}._AIRBYTE_EXTRACTED_AT)
    OR ({older}.{cursor_column} IS NULL AND {newer}.{cursor_column} IS NOT NULL)
)
