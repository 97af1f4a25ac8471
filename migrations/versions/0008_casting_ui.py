"""casting pages and attribute search: the keyset index of the newest-first order, and the
triggers that keep the search's version stamp (webapp/casting/search_index.py)

Revision ID: 0008_casting_ui
Revises: 0007_casting
Create Date: 2026-12-02 09:00:00

"""
from alembic import op

# The DDL is shared with db.create_all() (the tests), so both schemas behave the same.
from webapp.casting import search_index

# revision identifiers, used by Alembic.
revision = '0008_casting_ui'
down_revision = '0007_casting'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cinema_profiles', schema=None) as batch_op:
        batch_op.create_index('ix_cinema_profiles_created_id', ['created_at', 'id'], unique=False)
    # After the batch operation: on SQLite a batch rebuild would drop the table's triggers.
    search_index.install(op.get_bind())


def downgrade():
    search_index.drop(op.get_bind())
    with op.batch_alter_table('cinema_profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_cinema_profiles_created_id')
