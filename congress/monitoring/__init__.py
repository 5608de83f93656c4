"""Follow-up between congresses: what each government did about its commitments, with sources.

A congress records what governments adopted; monitoring organisations (ECPAT since 1996)
follow for years what they then did. Each follow-up record is dated, sourced and marked
for reliability like the archive's figures, and is published only after a second person
reviewed it.
"""
