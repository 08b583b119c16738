"""newsroom_publish."""
