"""newsroom_ingest."""
