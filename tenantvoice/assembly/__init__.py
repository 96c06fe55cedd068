"""The assembly: attendance, quorum and resolutions (what happens in the room)."""
