"""newsroom_shared."""
