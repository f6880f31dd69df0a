batch.{{column}}
