-- slot integration: identifier
DROP NOTIFICATION INTEGRATION IF EXISTS {integration}
