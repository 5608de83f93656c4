"""The list of participants, UN style, in four languages: HTML, CSV and PDF."""
