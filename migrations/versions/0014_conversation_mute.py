"""conversation mute: conversation_participants.muted (there since 0011, unused until now) gets a
server default, so that rows written without it (bulk inserts, other tools) are not muted

Revision ID: 0014_conversation_mute
Revises: 0013_directory_search
Create Date: 2026-12-02 01:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_conversation_mute'
down_revision = '0013_directory_search'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conversation_participants', schema=None) as batch_op:
        batch_op.alter_column('muted', existing_type=sa.Boolean(), existing_nullable=False,
                              server_default=sa.false())


def downgrade():
    with op.batch_alter_table('conversation_participants', schema=None) as batch_op:
        batch_op.alter_column('muted', existing_type=sa.Boolean(), existing_nullable=False, server_default=None)
