"""profiles, skills and languages of profiles, code sequences, file ownership by profile

Revision ID: 0002_directory
Revises: 0001_foundation
Create Date: 2026-12-01 20:29:40.747686

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_directory'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('code_sequences',
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_code_sequences'))
    )
    op.create_table('profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=24), nullable=True),
    sa.Column('first_name', sa.String(length=60), nullable=False),
    sa.Column('last_name', sa.String(length=60), nullable=False),
    sa.Column('sort_name', sa.String(length=130), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('phone_digits', sa.String(length=24), nullable=True),
    sa.Column('whatsapp', sa.String(length=32), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('nationality_id', sa.Integer(), nullable=True),
    sa.Column('origin_country_id', sa.Integer(), nullable=True),
    sa.Column('origin_city_id', sa.Integer(), nullable=True),
    sa.Column('residence_country_id', sa.Integer(), nullable=True),
    sa.Column('residence_city_id', sa.Integer(), nullable=True),
    sa.Column('headline', sa.String(length=140), nullable=True),
    sa.Column('bio', sa.Text(), nullable=True),
    sa.Column('years_experience', sa.SmallInteger(), nullable=True),
    sa.Column('education', sa.Text(), nullable=True),
    sa.Column('current_position', sa.String(length=140), nullable=True),
    sa.Column('current_company', sa.String(length=140), nullable=True),
    sa.Column('availability', sa.String(length=16), nullable=True),
    sa.Column('work_mode', sa.String(length=8), nullable=True),
    sa.Column('rate_min', sa.Integer(), nullable=True),
    sa.Column('rate_max', sa.Integer(), nullable=True),
    sa.Column('rate_currency', sa.String(length=3), nullable=True),
    sa.Column('rate_unit', sa.String(length=8), nullable=True),
    sa.Column('portfolio_url', sa.String(length=300), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('linkedin', sa.String(length=300), nullable=True),
    sa.Column('instagram', sa.String(length=300), nullable=True),
    sa.Column('photo_file_id', sa.Integer(), nullable=True),
    sa.Column('thumb_file_id', sa.Integer(), nullable=True),
    sa.Column('cv_file_id', sa.Integer(), nullable=True),
    sa.Column('profile_score', sa.SmallInteger(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('recruiter_notes', sa.Text(), nullable=True),
    sa.Column('directory_consent_at', sa.DateTime(), nullable=True),
    sa.Column('public_token', sa.String(length=32), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('public_fields', sa.JSON(), nullable=False),
    sa.Column('public_fields_changed_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("availability IS NULL OR availability IN ('full_time', 'part_time', 'freelance', 'flexible', 'weekends', 'unavailable')", name=op.f('ck_profiles_availability')),
    sa.CheckConstraint("gender IS NULL OR gender IN ('M', 'F', 'N')", name=op.f('ck_profiles_gender')),
    sa.CheckConstraint("source IN ('registration', 'recruiter', 'import', 'referral')", name=op.f('ck_profiles_source')),
    sa.CheckConstraint("work_mode IS NULL OR work_mode IN ('onsite', 'remote', 'hybrid')", name=op.f('ck_profiles_work_mode')),
    sa.CheckConstraint('profile_score BETWEEN 0 AND 100', name=op.f('ck_profiles_profile_score')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_profiles_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cv_file_id'], ['files.id'], name=op.f('fk_profiles_cv_file_id_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['nationality_id'], ['countries.id'], name=op.f('fk_profiles_nationality_id_countries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['origin_city_id'], ['cities.id'], name=op.f('fk_profiles_origin_city_id_cities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['origin_country_id'], ['countries.id'], name=op.f('fk_profiles_origin_country_id_countries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['photo_file_id'], ['files.id'], name=op.f('fk_profiles_photo_file_id_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['residence_city_id'], ['cities.id'], name=op.f('fk_profiles_residence_city_id_cities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['residence_country_id'], ['countries.id'], name=op.f('fk_profiles_residence_country_id_countries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thumb_file_id'], ['files.id'], name=op.f('fk_profiles_thumb_file_id_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profiles')),
    sa.UniqueConstraint('code', name=op.f('uq_profiles_code')),
    sa.UniqueConstraint('public_token', name=op.f('uq_profiles_public_token')),
    sa.UniqueConstraint('user_id', name=op.f('uq_profiles_user_id'))
    )
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.create_index('ix_profiles_created_id', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_profiles_email'), ['email'], unique=False)
        batch_op.create_index('ix_profiles_experience_id', ['years_experience', 'id'], unique=False)
        batch_op.create_index('ix_profiles_gender_birth', ['gender', 'birth_date'], unique=False)
        batch_op.create_index('ix_profiles_name_id', ['sort_name', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_profiles_phone_digits'), ['phone_digits'], unique=False)
        batch_op.create_index('ix_profiles_residence', ['residence_country_id', 'residence_city_id'], unique=False)
        batch_op.create_index('ix_profiles_score_id', ['profile_score', 'id'], unique=False)

    op.create_table('duplicate_dismissals',
    sa.Column('low_id', sa.Integer(), nullable=False),
    sa.Column('high_id', sa.Integer(), nullable=False),
    sa.Column('dismissed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['dismissed_by_id'], ['users.id'], name=op.f('fk_duplicate_dismissals_dismissed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['high_id'], ['profiles.id'], name=op.f('fk_duplicate_dismissals_high_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['low_id'], ['profiles.id'], name=op.f('fk_duplicate_dismissals_low_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('low_id', 'high_id', name=op.f('pk_duplicate_dismissals'))
    )
    op.create_table('profile_languages',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint("level IN ('basic', 'conversational', 'fluent', 'native')", name=op.f('ck_profile_languages_level')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_profile_languages_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'code', name=op.f('pk_profile_languages'))
    )
    with op.batch_alter_table('profile_languages', schema=None) as batch_op:
        batch_op.create_index('ix_profile_languages_code_profile', ['code', 'profile_id'], unique=False)

    op.create_table('profile_skills',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_profile_skills_level')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_profile_skills_profile_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_profile_skills_skill_id_skills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'skill_id', name=op.f('pk_profile_skills'))
    )
    with op.batch_alter_table('profile_skills', schema=None) as batch_op:
        batch_op.create_index('ix_profile_skills_skill_profile', ['skill_id', 'profile_id'], unique=False)

    with op.batch_alter_table('files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('profile_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=8), nullable=False, server_default='ready'))
        batch_op.add_column(sa.Column('upload_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_files_profile_id'), ['profile_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_files_upload_token_hash'), ['upload_token_hash'])
        batch_op.create_foreign_key(batch_op.f('fk_files_profile_id_profiles'), 'profiles', ['profile_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('files', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_files_profile_id_profiles'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_files_upload_token_hash'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_files_profile_id'))
        batch_op.drop_column('expires_at')
        batch_op.drop_column('upload_token_hash')
        batch_op.drop_column('status')
        batch_op.drop_column('profile_id')

    with op.batch_alter_table('profile_skills', schema=None) as batch_op:
        batch_op.drop_index('ix_profile_skills_skill_profile')

    op.drop_table('profile_skills')
    with op.batch_alter_table('profile_languages', schema=None) as batch_op:
        batch_op.drop_index('ix_profile_languages_code_profile')

    op.drop_table('profile_languages')
    op.drop_table('duplicate_dismissals')
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_profiles_score_id')
        batch_op.drop_index('ix_profiles_residence')
        batch_op.drop_index(batch_op.f('ix_profiles_phone_digits'))
        batch_op.drop_index('ix_profiles_name_id')
        batch_op.drop_index('ix_profiles_gender_birth')
        batch_op.drop_index('ix_profiles_experience_id')
        batch_op.drop_index(batch_op.f('ix_profiles_email'))
        batch_op.drop_index('ix_profiles_created_id')

    op.drop_table('profiles')
    op.drop_table('code_sequences')
