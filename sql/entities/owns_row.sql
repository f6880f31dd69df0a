-- The entity was built from this record: a delete in another source of a matched entity leaves it be.
entity.{column} = record.{column}
