-- The entity id is built from the record's own key, so the entity is the record's alone.
TRUE
