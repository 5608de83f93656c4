"""Search across congresses, sessions, outcome documents, delegations and countries."""
