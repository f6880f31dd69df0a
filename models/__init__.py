"""Pure models and names: enums, identifiers, naming, tag metadata, access matrix; no Pulumi, no components."""
