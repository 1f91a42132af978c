"""Operations of the platform itself: backups and restores."""
