{{column}} = NULL
