"""export lines: each profile's finished CSV line, kept per variant (language, delimiter, digest),
and the triggers that delete a line as soon as anything it shows changes

Revision ID: 0015_export_lines
Revises: 0014_conversation_mute
Create Date: 2026-12-02 11:30:00

"""
import sqlalchemy as sa
from alembic import op

# The triggers' DDL is shared with db.create_all() (the tests), so both schemas behave the same.
from webapp.insights import export_lines

# revision identifiers, used by Alembic.
revision = '0015_export_lines'
down_revision = '0014_conversation_mute'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'export_lines',
        sa.Column('profile_id', sa.Integer(), nullable=False),
        sa.Column('variant', sa.String(length=40), nullable=False),
        sa.Column('line', sa.Text(), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_export_lines_profile_id_profiles'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('profile_id', 'variant', name=op.f('pk_export_lines')),
    )
    export_lines.install(op.get_bind())


def downgrade():
    export_lines.drop(op.get_bind())
    op.drop_table('export_lines')
