"""Administration of congress editions, their organisers and their registration settings."""
