"""newsroom_enrich."""
