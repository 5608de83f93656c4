"""What each delegation said, in which session and language, and the sessions' documents."""
