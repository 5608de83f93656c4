"""On-site accreditation: members' photographs, badges with a QR code, the badge desk and the
check-in at the doors.

A photograph is uploaded by the focal point, checked and re-encoded (:mod:`.photos`) and kept
in the instance folder, never under ``static/``. A badge is drawn per accredited member
(:mod:`.pdf`); its QR code holds an opaque token whose hash alone is stored, so that a reader
without the app learns nothing and a replaced badge reads as revoked. Photographs and entries
are erased with :func:`operations.erase_personal_data`.
"""
