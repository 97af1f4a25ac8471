"""casting pages and attribute search: the change log of the search's snapshot and the triggers
that keep it and its version stamp (webapp/casting/search_index.py)

Revision ID: 0008_casting_ui
Revises: 0007_casting
Create Date: 2026-12-02 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# The DDL is shared with db.create_all() (the tests), so both schemas behave the same.
from webapp.casting import search_index

# revision identifiers, used by Alembic.
revision = '0008_casting_ui'
down_revision = '0007_casting'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cinema_search_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.Integer(), nullable=False),
    sa.Column('cinema_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cinema_search_changes'))
    )
    with op.batch_alter_table('cinema_search_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cinema_search_changes_stamp'), ['stamp'], unique=False)
    search_index.install(op.get_bind())


def downgrade():
    search_index.drop(op.get_bind())
    with op.batch_alter_table('cinema_search_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cinema_search_changes_stamp'))
    op.drop_table('cinema_search_changes')
