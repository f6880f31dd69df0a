-- slot procedure: identifier
CALL {procedure}()
