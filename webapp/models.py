"""Every model of the app, imported in one place for the metadata and for migrations."""

import webapp.casting.search_index  # noqa: F401  (the casting search's triggers, for create_all too)
from webapp.accounts.models import User  # noqa: F401
from webapp.ai.models import SearchChange  # noqa: F401
from webapp.audit.models import AuditEvent  # noqa: F401
from webapp.auth.models import ApiKey, Invitation, RefreshToken  # noqa: F401
from webapp.casting.models import (  # noqa: F401
    Assignment,
    AssignmentEvent,
    CastingProject,
    CinemaPhoto,
    CinemaProfile,
    ProjectRole,
    SavedSearch,
)
from webapp.directory import search_index  # noqa: F401,E402  (the full-text index and the search's indexes)
from webapp.directory.models import CodeSequence, DuplicateDismissal, Profile, ProfileLanguage, ProfileSkill  # noqa: F401
from webapp.files.models import File  # noqa: F401
from webapp.insights.models import Export  # noqa: F401
from webapp.mail.models import EmailTemplate, OutboxMessage  # noqa: F401
from webapp.messaging.models import (  # noqa: F401
    Conversation,
    Message,
    MessageAttachment,
    Notification,
    Participant,
    ReadMark,
)
from webapp.organisations.models import Organisation, OrganisationMember  # noqa: F401
from webapp.settings.models import Setting  # noqa: F401
from webapp.taxonomy.models import City, Country, ListValue, Skill  # noqa: F401
