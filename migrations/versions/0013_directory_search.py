"""directory search: full-text index over profiles (SQLite FTS5 + triggers, PostgreSQL tsvector + GIN)
and the indexes of the search's filters and keyset orders

Revision ID: 0013_directory_search
Revises: 0012_admin_console
Create Date: 2026-12-01 21:00:00

"""
import sqlalchemy as sa
from alembic import op

# The DDL is shared with db.create_all() (the tests), so both schemas behave the same.
from webapp.directory import search_index

# revision identifiers, used by Alembic.
revision = '0013_directory_search'
down_revision = '0012_admin_console'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.create_index('ix_profiles_search_filters', list(search_index.FILTER_COLUMNS), unique=False)
        batch_op.create_index('ix_profiles_experience_key', [sa.text('coalesce(years_experience, -1)'), 'id'],
                              unique=False)
    search_index.install(op.get_bind())


def downgrade():
    search_index.drop(op.get_bind())
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_profiles_experience_key')
        batch_op.drop_index('ix_profiles_search_filters')
