{{column}} = batch.{{column}}
