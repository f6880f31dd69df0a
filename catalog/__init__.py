"""The knowledge catalog: table specs and their data, embeddings, masking, views, and the SQL loader."""
