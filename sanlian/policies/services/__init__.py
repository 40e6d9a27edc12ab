"""Every write of the policy module (split by topic; import from here)."""

from .calls import *  # noqa: F403
from .eligibility import Preview, RefreshSummary, draft_preview, eligibility_refresh, evaluate_versions  # noqa: F401
from .policies import *  # noqa: F403
