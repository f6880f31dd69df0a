CALL {procedure}()
