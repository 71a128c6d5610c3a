"""Every table the platform owns: importing this module registers each domain's models (and the session
store's table) on their metadata. The composition root, the migrations environment and the test
schema import it; ``core.db`` itself knows no domain."""

from __future__ import annotations

import accounts.models  # noqa: F401
import accounts.oauth.models  # noqa: F401
import core.kvstore  # noqa: F401 - the session store table
import credentials.models  # noqa: F401
import credentials.oid4vci.models  # noqa: F401
import credentials.oid4vp.models  # noqa: F401
import credentials.clr.models  # noqa: F401
import credentials.pathways.models  # noqa: F401
import credentials.webhooks.models  # noqa: F401
import credentials.ob_consumer.models  # noqa: F401
import credentials.trust.models  # noqa: F401
import matching.contact.models  # noqa: F401
import matching.jobs.models  # noqa: F401
import matching.models  # noqa: F401
import skills.models  # noqa: F401
import skills.progress_models  # noqa: F401
from core.db import metadatas

__all__ = ["metadatas"]
