"""The one place that imports the models of every area.

Alembic and ``flask db check`` need every table in the metadata; importing this
module registers them. It sits at the top of the layers, beside the app factory.
"""

from __future__ import annotations


def import_all_models() -> None:
    from congress.accounts import models as _accounts  # noqa: F401
    from congress.archive import models as _archive  # noqa: F401
    from congress.audit import models as _audit  # noqa: F401
    from congress.badges import models as _badges  # noqa: F401
    from congress.congresses import models as _congresses  # noqa: F401
    from congress.declarations import models as _declarations  # noqa: F401
    from congress.invitations import models as _invitations  # noqa: F401
    from congress.jobs import models as _jobs  # noqa: F401
    from congress.mail import models as _mail  # noqa: F401
    from congress.monitoring import models as _monitoring  # noqa: F401
    from congress.programme import models as _programme  # noqa: F401
    from congress.registration import models as _registration  # noqa: F401
    from congress.search import models as _search  # noqa: F401
    from congress.statements import models as _statements  # noqa: F401
