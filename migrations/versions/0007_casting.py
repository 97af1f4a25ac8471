"""cinema profiles, organisations, casting projects, roles, assignments, managed lists

Revision ID: 0007_casting
Revises: 0002_directory
Create Date: 2026-12-01 20:36:07.561224

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_casting'
down_revision = '0002_directory'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('list_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_name', sa.String(length=32), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('name_fr', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_values')),
    sa.UniqueConstraint('list_name', 'slug', name='uq_list_values_list_slug')
    )
    with op.batch_alter_table('list_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_list_values_list_name'), ['list_name'], unique=False)

    op.create_table('saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_searches_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches'))
    )
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_searches_user_id'), ['user_id'], unique=False)

    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=140), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('specialization', sa.String(length=200), nullable=True),
    sa.Column('country_id', sa.Integer(), nullable=True),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('founded_year', sa.SmallInteger(), nullable=True),
    sa.Column('employees_count', sa.Integer(), nullable=True),
    sa.Column('size', sa.String(length=10), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('logo_file_id', sa.Integer(), nullable=True),
    sa.Column('is_verified', sa.Boolean(), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('company', 'production', 'agency')", name=op.f('ck_organisations_kind')),
    sa.CheckConstraint('founded_year IS NULL OR founded_year BETWEEN 1850 AND 2100', name=op.f('ck_organisations_founded_year')),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_organisations_city_id_cities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['country_id'], ['countries.id'], name=op.f('fk_organisations_country_id_countries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['logo_file_id'], ['files.id'], name=op.f('fk_organisations_logo_file_id_files'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_kind'), ['kind'], unique=False)

    op.create_table('casting_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('production_type_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('origin_country_id', sa.Integer(), nullable=True),
    sa.Column('shooting_locations', sa.String(length=300), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('en_preparation', 'casting', 'en_tournage', 'post_production', 'termine', 'annule')", name=op.f('ck_casting_projects_status')),
    sa.CheckConstraint('end_date IS NULL OR start_date IS NULL OR end_date >= start_date', name=op.f('ck_casting_projects_dates')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_casting_projects_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_casting_projects_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['origin_country_id'], ['countries.id'], name=op.f('fk_casting_projects_origin_country_id_countries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['production_type_id'], ['list_values.id'], name=op.f('fk_casting_projects_production_type_id_list_values'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_casting_projects')),
    sa.UniqueConstraint('number', name=op.f('uq_casting_projects_number'))
    )
    with op.batch_alter_table('casting_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casting_projects_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_casting_projects_status'), ['status'], unique=False)

    op.create_table('cinema_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('cinema_code', sa.String(length=24), nullable=True),
    sa.Column('height_cm', sa.SmallInteger(), nullable=True),
    sa.Column('eye_color_id', sa.Integer(), nullable=True),
    sa.Column('hair_color_id', sa.Integer(), nullable=True),
    sa.Column('hair_type_id', sa.Integer(), nullable=True),
    sa.Column('skin_tone_id', sa.Integer(), nullable=True),
    sa.Column('build_id', sa.Integer(), nullable=True),
    sa.Column('previous_productions', sa.Text(), nullable=True),
    sa.Column('id_document_type_id', sa.Integer(), nullable=True),
    sa.Column('id_document_initials', sa.String(length=16), nullable=True),
    sa.Column('ethnicity_consent_at', sa.DateTime(), nullable=True),
    sa.Column('guardian_name', sa.String(length=120), nullable=True),
    sa.Column('guardian_relationship', sa.String(length=40), nullable=True),
    sa.Column('guardian_phone', sa.String(length=32), nullable=True),
    sa.Column('guardian_email', sa.String(length=254), nullable=True),
    sa.Column('guardian_consent_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('height_cm IS NULL OR height_cm BETWEEN 40 AND 250', name=op.f('ck_cinema_profiles_height_cm')),
    sa.ForeignKeyConstraint(['build_id'], ['list_values.id'], name=op.f('fk_cinema_profiles_build_id_list_values'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['eye_color_id'], ['list_values.id'], name=op.f('fk_cinema_profiles_eye_color_id_list_values'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hair_color_id'], ['list_values.id'], name=op.f('fk_cinema_profiles_hair_color_id_list_values'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hair_type_id'], ['list_values.id'], name=op.f('fk_cinema_profiles_hair_type_id_list_values'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['id_document_type_id'], ['list_values.id'], name=op.f('fk_cinema_profiles_id_document_type_id_list_values'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_cinema_profiles_profile_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skin_tone_id'], ['list_values.id'], name=op.f('fk_cinema_profiles_skin_tone_id_list_values'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cinema_profiles')),
    sa.UniqueConstraint('cinema_code', name=op.f('uq_cinema_profiles_cinema_code')),
    sa.UniqueConstraint('profile_id', name=op.f('uq_cinema_profiles_profile_id'))
    )
    with op.batch_alter_table('cinema_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cinema_profiles_eye_color_id'), ['eye_color_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cinema_profiles_hair_color_id'), ['hair_color_id'], unique=False)
        batch_op.create_index('ix_cinema_profiles_height', ['height_cm'], unique=False)
        batch_op.create_index(batch_op.f('ix_cinema_profiles_skin_tone_id'), ['skin_tone_id'], unique=False)

    op.create_table('organisation_members',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('owner', 'member')", name=op.f('ck_organisation_members_role')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_members_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_organisation_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'user_id', name=op.f('pk_organisation_members'))
    )
    with op.batch_alter_table('organisation_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_members_user_id'), ['user_id'], unique=False)

    op.create_table('cinema_ethnicities',
    sa.Column('cinema_id', sa.Integer(), nullable=False),
    sa.Column('value_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cinema_id'], ['cinema_profiles.id'], name=op.f('fk_cinema_ethnicities_cinema_id_cinema_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['value_id'], ['list_values.id'], name=op.f('fk_cinema_ethnicities_value_id_list_values'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cinema_id', 'value_id', name=op.f('pk_cinema_ethnicities'))
    )
    op.create_table('cinema_other_talents',
    sa.Column('cinema_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cinema_id'], ['cinema_profiles.id'], name=op.f('fk_cinema_other_talents_cinema_id_cinema_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_cinema_other_talents_skill_id_skills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cinema_id', 'skill_id', name=op.f('pk_cinema_other_talents'))
    )
    with op.batch_alter_table('cinema_other_talents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cinema_other_talents_skill_id'), ['skill_id'], unique=False)

    op.create_table('cinema_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cinema_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('thumb_file_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('caption', sa.String(length=140), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cinema_id'], ['cinema_profiles.id'], name=op.f('fk_cinema_photos_cinema_id_cinema_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['files.id'], name=op.f('fk_cinema_photos_file_id_files'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thumb_file_id'], ['files.id'], name=op.f('fk_cinema_photos_thumb_file_id_files'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cinema_photos'))
    )
    with op.batch_alter_table('cinema_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cinema_photos_cinema_id'), ['cinema_id'], unique=False)

    op.create_table('cinema_talent_types',
    sa.Column('cinema_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cinema_id'], ['cinema_profiles.id'], name=op.f('fk_cinema_talent_types_cinema_id_cinema_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_cinema_talent_types_skill_id_skills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cinema_id', 'skill_id', name=op.f('pk_cinema_talent_types'))
    )
    with op.batch_alter_table('cinema_talent_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cinema_talent_types_skill_id'), ['skill_id'], unique=False)

    op.create_table('project_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=140), nullable=False),
    sa.Column('talent_type_id', sa.Integer(), nullable=True),
    sa.Column('gender', sa.String(length=3), nullable=False),
    sa.Column('age_min', sa.SmallInteger(), nullable=True),
    sa.Column('age_max', sa.SmallInteger(), nullable=True),
    sa.Column('height_min', sa.SmallInteger(), nullable=True),
    sa.Column('height_max', sa.SmallInteger(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('positions', sa.SmallInteger(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('requirements', sa.JSON(), nullable=False),
    sa.CheckConstraint("gender IN ('M', 'F', 'N', 'any')", name=op.f('ck_project_roles_gender')),
    sa.CheckConstraint('age_min IS NULL OR age_max IS NULL OR age_min <= age_max', name=op.f('ck_project_roles_ages')),
    sa.CheckConstraint('height_min IS NULL OR height_max IS NULL OR height_min <= height_max', name=op.f('ck_project_roles_heights')),
    sa.ForeignKeyConstraint(['project_id'], ['casting_projects.id'], name=op.f('fk_project_roles_project_id_casting_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['talent_type_id'], ['skills.id'], name=op.f('fk_project_roles_talent_type_id_skills'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_roles'))
    )
    with op.batch_alter_table('project_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_roles_project_id'), ['project_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=12), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("stage IN ('shortlisted', 'contacted', 'auditioned', 'booked', 'released')", name=op.f('ck_assignments_stage')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_assignments_assigned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_assignments_profile_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['casting_projects.id'], name=op.f('fk_assignments_project_id_casting_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['role_id'], ['project_roles.id'], name=op.f('fk_assignments_role_id_project_roles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('code', name=op.f('uq_assignments_code')),
    sa.UniqueConstraint('role_id', 'profile_id', name='uq_assignments_role_profile')
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_profile', ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_role_id'), ['role_id'], unique=False)

    op.create_table('assignment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_assignment_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_assignment_events_assignment_id_assignments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_events'))
    )
    with op.batch_alter_table('assignment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_events_assignment_id'), ['assignment_id'], unique=False)



def downgrade():
    with op.batch_alter_table('assignment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_events_assignment_id'))

    op.drop_table('assignment_events')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_role_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_project_id'))
        batch_op.drop_index('ix_assignments_profile')

    op.drop_table('assignments')
    with op.batch_alter_table('project_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_roles_project_id'))

    op.drop_table('project_roles')
    with op.batch_alter_table('cinema_talent_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cinema_talent_types_skill_id'))

    op.drop_table('cinema_talent_types')
    with op.batch_alter_table('cinema_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cinema_photos_cinema_id'))

    op.drop_table('cinema_photos')
    with op.batch_alter_table('cinema_other_talents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cinema_other_talents_skill_id'))

    op.drop_table('cinema_other_talents')
    op.drop_table('cinema_ethnicities')
    with op.batch_alter_table('organisation_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_members_user_id'))

    op.drop_table('organisation_members')
    with op.batch_alter_table('cinema_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cinema_profiles_skin_tone_id'))
        batch_op.drop_index('ix_cinema_profiles_height')
        batch_op.drop_index(batch_op.f('ix_cinema_profiles_hair_color_id'))
        batch_op.drop_index(batch_op.f('ix_cinema_profiles_eye_color_id'))

    op.drop_table('cinema_profiles')
    with op.batch_alter_table('casting_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casting_projects_status'))
        batch_op.drop_index(batch_op.f('ix_casting_projects_organisation_id'))

    op.drop_table('casting_projects')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_kind'))

    op.drop_table('organisations')
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_searches_user_id'))

    op.drop_table('saved_searches')
    with op.batch_alter_table('list_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_list_values_list_name'))

    op.drop_table('list_values')
