-- slot decisions: identifier
UPDATE {decisions} SET APPLIED_BATCH_ID = ?, APPLIED_AT = CURRENT_TIMESTAMP(), OUTCOME = ? WHERE DECISION_ID = ?
