"""/api/v1/cinema: seed 003's CINEMA endpoints (talents, productions, projects) and the writes
on productions, projects, roles and assignments. Every endpoint calls the casting services,
as the pages do; names (colours, types, statuses) come in the caller's language.

Ethnicity is special-category data: a talent's detail carries it only for the person and
casting staff, only while consented, and it never appears in the list shape."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from webapp.api import bp
from webapp.api.framework import api_route
from webapp.api.principal import resolve
from webapp.api.schemas import Input, either
from webapp.casting import services as casting
from webapp.casting.models import PROJECT_STATUSES, STAGES
from webapp.core.errors import NotFound, ValidationFailed
from webapp.core.pagination import Page, paginate
from webapp.core.permissions import can
from webapp.directory import services as directory
from webapp.directory.reference import language_name
from webapp.extensions import db

TAGS = ("cinema",)


def _me():
    return resolve().user


def _locale() -> str:
    return str(get_locale() or "en")


def _name(thing) -> str | None:
    return thing.name(_locale()) if thing is not None else None


def _nationality(country) -> str | None:
    from webapp.casting.display import nationality

    return nationality(country) or None


def _file_url(file) -> str | None:
    return url_for("files.download", file_id=file.id, _external=True) if file is not None else None


# Shapes ----------------------------------------------------------------------------------------

class TalentItemOut(BaseModel):
    id: int = Field(description="The cinema profile's id (what /cinema/talents/{id} takes).")
    profile_id: int
    unique_code: str | None = Field(description="The cinema code, such as MACAS000001F.")
    profile_code: str | None = Field(description="The directory code, such as MAF0001CAS.")
    first_name: str
    last_name: str
    gender: str | None
    age: int | None
    nationality: str | None
    country_of_residence: str | None
    city_of_residence: str | None
    height: int | None
    eye_color: str | None
    hair_color: str | None
    hair_type: str | None
    skin_tone: str | None
    build: str | None
    talent_types: list[str]
    languages_spoken: list[str]
    years_of_experience: int | None
    profile_photo_url: str | None
    email: str | None
    created_at: datetime

    @classmethod
    def of(cls, cinema) -> TalentItemOut:
        profile = cinema.profile
        city = profile.residence_city or profile.origin_city
        return cls(
            id=cinema.id, profile_id=profile.id, unique_code=cinema.cinema_code, profile_code=profile.code,
            first_name=profile.first_name, last_name=profile.last_name, gender=profile.gender, age=profile.age,
            nationality=_nationality(profile.nationality), country_of_residence=_name(profile.country),
            city_of_residence=city.name if city is not None else None, height=cinema.height_cm,
            eye_color=_name(cinema.eye_color), hair_color=_name(cinema.hair_color), hair_type=_name(cinema.hair_type),
            skin_tone=_name(cinema.skin_tone), build=_name(cinema.build),
            talent_types=[s.name(_locale()) for s in cinema.talent_types],
            languages_spoken=[language_name(lang.code, _locale()) for lang in profile.languages],
            years_of_experience=profile.years_experience,
            profile_photo_url=_file_url(casting.primary_photo(profile)), email=profile.email,
            created_at=cinema.created_at,
        )


class GuardianOut(BaseModel):
    name: str | None
    relationship: str | None
    phone: str | None
    email: str | None
    consent_at: datetime | None


class TalentOut(TalentItemOut):
    date_of_birth: date | None
    id_document_type: str | None
    id_document_initials: str | None = Field(description="Only a masked form (AB***23) is ever kept.")
    ethnicities: list[str] = Field(description="Only for the person and casting staff, and only with consent.")
    ethnicity_consent_at: datetime | None
    country_of_origin: str | None
    other_talents: list[str]
    previous_productions: str | None
    gallery_photos: list[str]
    phone: str | None
    whatsapp: str | None
    website: str | None
    instagram: str | None
    qr_code_url: str | None
    is_active: bool
    needs_guardian: bool
    guardian: GuardianOut | None
    updated_at: datetime

    @classmethod
    def of(cls, cinema) -> TalentOut:
        me = _me()
        profile = cinema.profile
        ethnicities = casting.visible_ethnicities(me, cinema)
        guardian = None
        if cinema.guardian_name or cinema.guardian_consent_at:
            guardian = GuardianOut(name=cinema.guardian_name, relationship=cinema.guardian_relationship,
                                   phone=cinema.guardian_phone, email=cinema.guardian_email,
                                   consent_at=cinema.guardian_consent_at)
        return cls(
            **TalentItemOut.of(cinema).model_dump(),
            date_of_birth=profile.birth_date, id_document_type=_name(cinema.id_document_type),
            id_document_initials=cinema.id_document_initials, ethnicities=[_name(v) for v in ethnicities],
            ethnicity_consent_at=cinema.ethnicity_consent_at if ethnicities else None,
            country_of_origin=_name(profile.origin_country), other_talents=[s.name(_locale()) for s in cinema.other_talents],
            previous_productions=cinema.previous_productions,
            gallery_photos=[_file_url(photo.file) for photo in cinema.gallery],
            phone=profile.phone, whatsapp=profile.whatsapp, website=profile.website, instagram=profile.instagram,
            qr_code_url=_qr_code_url(profile), is_active=profile.is_active, needs_guardian=cinema.needs_guardian,
            guardian=guardian, updated_at=cinema.updated_at,
        )


def _qr_code_url(profile) -> str | None:
    """The profile's QR code image (it holds the public page's address; publishing serves it
    to the owner and to staff), for talents with an account."""
    if profile.user_id is None:
        return None
    return url_for("directory.publishing_qr_png", profile_id=profile.id, _external=True)


class CompanyRefOut(BaseModel):
    id: int
    name: str


class ProductionOut(BaseModel):
    id: int
    name: str
    logo_url: str | None
    description: str | None
    specialization: str | None
    city: str | None
    country: str | None
    city_id: int | None
    country_id: int | None
    founded_year: int | None
    employees_count: int | None
    size: str | None
    productions_count: int = Field(description="How many casting projects it runs.")
    is_verified: bool
    verified_at: datetime | None
    email: str | None
    phone: str | None
    website: str | None
    created_at: datetime

    @classmethod
    def of(cls, organisation, projects_count: int | None = None) -> ProductionOut:
        if projects_count is None:
            projects_count = casting.project_counts([organisation.id]).get(organisation.id, 0)
        logo = (url_for("casting.production_logo", production_id=organisation.id, _external=True)
                if organisation.logo_file_id else None)
        return cls(
            id=organisation.id, name=organisation.name, logo_url=logo, description=organisation.description,
            specialization=organisation.specialization,
            city=organisation.city.name if organisation.city else None, country=_name(organisation.country),
            city_id=organisation.city_id, country_id=organisation.country_id, founded_year=organisation.founded_year,
            employees_count=organisation.employees_count, size=organisation.size, productions_count=projects_count,
            is_verified=organisation.is_verified, verified_at=organisation.verified_at, email=organisation.email,
            phone=organisation.phone, website=organisation.website, created_at=organisation.created_at,
        )


class MemberOut(BaseModel):
    user_id: int
    full_name: str
    role: Literal["owner", "member"]


class ProductionDetailOut(ProductionOut):
    recruiters: list[MemberOut]

    @classmethod
    def of(cls, organisation, projects_count: int | None = None) -> ProductionDetailOut:
        members = [MemberOut(user_id=m.user_id, full_name=m.user.full_name, role=m.role)
                   for m in casting.members_of(organisation)]
        return cls(**ProductionOut.of(organisation, projects_count).model_dump(), recruiters=members)


class RoleOut(BaseModel):
    id: int
    project_id: int
    name: str
    talent_type: str | None
    talent_type_slug: str | None
    gender: Literal["M", "F", "N", "any"]
    age_min: int | None
    age_max: int | None
    height_min: int | None
    height_max: int | None
    positions: int
    description: str | None
    assigned_count: int

    @classmethod
    def of(cls, role) -> RoleOut:
        return cls(id=role.id, project_id=role.project_id, name=role.name, talent_type=_name(role.talent_type),
                   talent_type_slug=role.talent_type.slug if role.talent_type else None, gender=role.gender,
                   age_min=role.age_min, age_max=role.age_max, height_min=role.height_min, height_max=role.height_max,
                   positions=role.positions, description=role.description, assigned_count=len(role.assignments))


class TalentRefOut(BaseModel):
    id: int | None = Field(description="The cinema profile's id, when the talent has cinema details.")
    profile_id: int
    unique_code: str | None
    first_name: str
    last_name: str


class StepOut(BaseModel):
    stage: str
    stage_display: str
    note: str | None
    at: datetime
    by: str | None


class AssignmentOut(BaseModel):
    id: int
    project_code: str = Field(description="PRJ-001-042: the project's number and the assignment's.")
    project_id: int
    role: CompanyRefOut
    talent: TalentRefOut
    talent_type: str | None
    role_description: str | None
    stage: Literal["shortlisted", "contacted", "auditioned", "booked", "released"]
    stage_display: str
    notes: str | None
    assigned_at: datetime
    history: list[StepOut]

    @classmethod
    def of(cls, assignment) -> AssignmentOut:
        profile, role = assignment.profile, assignment.role
        cinema = profile.cinema
        return cls(
            id=assignment.id, project_code=assignment.code, project_id=assignment.project_id,
            role=CompanyRefOut(id=role.id, name=role.name),
            talent=TalentRefOut(id=cinema.id if cinema else None, profile_id=profile.id,
                                unique_code=cinema.cinema_code if cinema else None,
                                first_name=profile.first_name, last_name=profile.last_name),
            talent_type=_name(role.talent_type), role_description=role.description, stage=assignment.stage,
            stage_display=str(casting.STAGE_LABELS[assignment.stage]), notes=assignment.notes,
            assigned_at=assignment.created_at,
            history=[StepOut(stage=e.stage, stage_display=str(casting.STAGE_LABELS.get(e.stage, e.stage)), note=e.note,
                             at=e.created_at, by=e.actor.full_name if e.actor else None) for e in assignment.history],
        )


class ProjectOut(BaseModel):
    id: int
    code: str = Field(description="PRJ-001")
    name: str
    production_type: str | None
    production_type_slug: str | None
    production_company: CompanyRefOut
    origin_country: str | None
    origin_country_id: int | None
    shooting_locations: str | None
    start_date: date | None
    end_date: date | None
    status: str
    status_display: str
    is_active: bool
    talents_count: int
    roles_count: int
    created_at: datetime

    @classmethod
    def of(cls, project, talents_count: int | None = None) -> ProjectOut:
        if talents_count is None:
            talents_count = casting.talent_counts([project.id]).get(project.id, 0)
        return cls(
            id=project.id, code=project.code, name=project.name, production_type=_name(project.production_type),
            production_type_slug=project.production_type.slug if project.production_type else None,
            production_company=CompanyRefOut(id=project.organisation_id, name=project.organisation.name),
            origin_country=_name(project.origin_country), origin_country_id=project.origin_country_id,
            shooting_locations=project.shooting_locations, start_date=project.start_date, end_date=project.end_date,
            status=project.status, status_display=str(casting.STATUS_LABELS[project.status]),
            is_active=project.is_active, talents_count=talents_count, roles_count=len(project.roles),
            created_at=project.created_at,
        )


class ProjectDetailOut(ProjectOut):
    description: str | None
    roles: list[RoleOut]
    assigned_talents: list[AssignmentOut]
    updated_at: datetime

    @classmethod
    def of(cls, project, talents_count: int | None = None) -> ProjectDetailOut:
        return cls(**ProjectOut.of(project, talents_count).model_dump(), description=project.description,
                   roles=[RoleOut.of(r) for r in project.roles],
                   assigned_talents=[AssignmentOut.of(a) for a in project.assignments], updated_at=project.updated_at)


def _list_model(item: type[BaseModel], name: str) -> type[BaseModel]:
    return type(name, (BaseModel,), {"__annotations__": {"items": list[item], "total": int, "page": int,
                                                          "per_page": int, "pages": int}})


ProductionListOut = _list_model(ProductionOut, "ProductionListOut")
ProjectListOut = _list_model(ProjectOut, "ProjectListOut")


class PageQuery(Input):
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, le=100, validation_alias=either("per_page", "size", "limit"))


class ProductionQuery(PageQuery):
    search: str | None = Field(None, max_length=100, validation_alias=either("search", "q"))


class ProjectQuery(PageQuery):
    status: Literal[PROJECT_STATUSES] | None = None  # type: ignore[valid-type]
    production_id: int | None = Field(None, validation_alias=either("production_id", "production_company_id"))


# Talents -------------------------------------------------------------------------------------

TalentListOut = _list_model(TalentItemOut, "TalentListOut")


class TalentQuery(PageQuery):
    """Seed 003's filters. Choices take a slug, an id or a name in either language; several
    values, repeated or comma-separated, mean "any of them" (languages: "all of them")."""

    search: str | None = Field(None, max_length=100, validation_alias=either("search", "q"),
                               description="Name or code.")
    gender: str | None = Field(None, description="M, F or N.")
    talent_type: str | None = Field(None, description="lead-actor, extra ... or a name.")
    age_min: int | None = None
    age_max: int | None = None
    eye_color: str | None = Field(None, description="marron, or Marron, or Brown.")
    hair_color: str | None = None
    skin_tone: str | None = None
    height_min: int | None = Field(None, description="cm")
    height_max: int | None = Field(None, description="cm")
    country: str | None = Field(None, description="Of residence: MA, or Maroc, or an id.")
    language: str | None = Field(None, description="fr, or Français, or French.")
    experience: str | None = Field(None, description="debutant, 1_5_ans, 5_10_ans or 10_plus.")
    sort: Literal["newest", "name", "experience", "height"] | None = None


@api_route(bp, "/cinema/talents", "GET", summary="Cinema talents, by attributes", tags=TAGS, query=TalentQuery,
           response=TalentListOut, errors=(403,))
def list_cinema_talents(query: TalentQuery):
    """The attribute search of the casting pages (webapp/casting/search.py): one query, the
    total from the search's counts."""
    from flask import request

    from webapp.casting import search as casting_search

    criteria = casting_search.criteria_from(request.args)
    result = casting_search.search_talents(_me(), criteria, limit=query.per_page,
                                           offset=(query.page - 1) * query.per_page)
    page = Page(result.hits, result.total or 0, query.page, query.per_page)
    return page.envelope(lambda cinema: TalentItemOut.of(cinema).model_dump(mode="json"))


@api_route(bp, "/cinema/talents/<int:cinema_id>", "GET", summary="A cinema talent", tags=TAGS, response=TalentOut,
           errors=(403, 404))
def get_cinema_talent(cinema_id: int):
    return TalentOut.of(casting.get_cinema(cinema_id, _me()))


@api_route(bp, "/cinema/talents/code/<unique_code>", "GET", summary="A cinema talent by cinema code", tags=TAGS,
           response=TalentOut, errors=(403, 404))
def get_cinema_talent_by_code(unique_code: str):
    """`MACAS000001F`; a directory code (`MAF0001CAS`) of a person with cinema details works too."""
    try:
        cinema = casting.get_cinema_by_code(unique_code, _me())
    except NotFound:
        profile = directory.get_by_code(unique_code, _me())
        cinema = casting.cinema_of(profile)
        if cinema is None:
            raise
    return TalentOut.of(cinema)


# Productions ------------------------------------------------------------------------------------

class ProductionIn(Input):
    name: str | None = None
    description: str | None = None
    specialization: str | None = Field(None, validation_alias=either("specialization", "specialisation"))
    country_id: int | None = None
    city_id: int | None = None
    founded_year: int | None = None
    employees_count: int | None = None
    size: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    is_verified: bool | None = Field(None, description="Admins only.")


@api_route(bp, "/cinema/productions", "GET", summary="Production companies", tags=TAGS, query=ProductionQuery,
           response=ProductionListOut, errors=(403,))
def list_productions(query: ProductionQuery):
    page = paginate(casting.productions_query(_me(), query.search), query.page, query.per_page)
    counts = casting.project_counts(o.id for o in page.items)
    return page.envelope(lambda o: ProductionOut.of(o, counts.get(o.id, 0)).model_dump(mode="json"))


@api_route(bp, "/cinema/productions/<int:production_id>", "GET", summary="A production company", tags=TAGS,
           response=ProductionDetailOut, errors=(403, 404))
def get_production(production_id: int):
    return ProductionDetailOut.of(casting.get_production(production_id, _me()))


def _production_changes(body: ProductionIn) -> dict:
    return body.model_dump(exclude_unset=True, exclude={"is_verified"})


@api_route(bp, "/cinema/productions", "POST", summary="Create a production company", tags=TAGS, body=ProductionIn,
           response=ProductionDetailOut, status=201, errors=(403, 422))
def create_production(body: ProductionIn):
    """The recruiter who creates it becomes its owner."""
    organisation = casting.create_production(_me(), _production_changes(body))
    if body.is_verified is not None and can(_me(), "production.verify", organisation):
        casting.verify_production(_me(), organisation, body.is_verified)
    return ProductionDetailOut.of(organisation, 0)


@api_route(bp, "/cinema/productions/<int:production_id>", "PUT", summary="Update a production company", tags=TAGS,
           body=ProductionIn, response=ProductionDetailOut, errors=(403, 404, 422))
def update_production(production_id: int, body: ProductionIn):
    """Fields left out keep their value; only admins change `is_verified`."""
    me = _me()
    organisation = casting.get_production(production_id, me)
    changes = _production_changes(body)
    if changes or not can(me, "production.verify", organisation):
        casting.update_production(me, organisation, changes)
    if body.is_verified is not None:
        casting.verify_production(me, organisation, body.is_verified)
    return ProductionDetailOut.of(organisation)


# Projects ---------------------------------------------------------------------------------------

class ProjectIn(Input):
    name: str | None = None
    production_id: int | None = Field(None, validation_alias=either("production_id", "production_company_id"))
    production_type: str | None = Field(None, description="A slug of the production types list (film, serie ...).")
    origin_country_id: int | None = None
    shooting_locations: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    status: Literal[PROJECT_STATUSES] | None = None  # type: ignore[valid-type]
    description: str | None = None
    is_active: bool | None = None


def _project_changes(body: ProjectIn) -> dict:
    return body.model_dump(exclude_unset=True, exclude={"production_id", "is_active"})


@api_route(bp, "/cinema/projects", "GET", summary="Casting projects", tags=TAGS, query=ProjectQuery,
           response=ProjectListOut, errors=(403,))
def list_projects(query: ProjectQuery):
    """The projects of the caller's productions (all of them for an admin)."""
    page = paginate(casting.projects_query(_me(), query.status, query.production_id), query.page, query.per_page)
    counts = casting.talent_counts(p.id for p in page.items)
    return page.envelope(lambda p: ProjectOut.of(p, counts.get(p.id, 0)).model_dump(mode="json"))


@api_route(bp, "/cinema/projects/<int:project_id>", "GET", summary="A casting project with its roles and talents",
           tags=TAGS, response=ProjectDetailOut, errors=(403, 404))
def get_project(project_id: int):
    return ProjectDetailOut.of(casting.get_project(project_id, _me()))


@api_route(bp, "/cinema/projects", "POST", summary="Create a casting project", tags=TAGS, body=ProjectIn,
           response=ProjectDetailOut, status=201, errors=(403, 404, 422))
def create_project(body: ProjectIn):
    if body.production_id is None:
        raise ValidationFailed(fields={"production_id": [_("This field is required.")]})
    organisation = casting.get_production(body.production_id, _me())
    project = casting.create_project(_me(), organisation, _project_changes(body))
    return ProjectDetailOut.of(project, 0)


@api_route(bp, "/cinema/projects/<int:project_id>", "PUT", summary="Update a casting project", tags=TAGS,
           body=ProjectIn, response=ProjectDetailOut, errors=(403, 404, 422))
def update_project(project_id: int, body: ProjectIn):
    """Fields left out keep their value; a project stays with its production."""
    project = casting.get_project(project_id, _me())
    if body.production_id is not None and body.production_id != project.organisation_id:
        raise ValidationFailed(fields={"production_id": [_("A project cannot move to another production.")]})
    casting.update_project(_me(), project, _project_changes(body))
    if body.is_active is not None and body.is_active != project.is_active:
        project.is_active = body.is_active
        db.session.commit()
    return ProjectDetailOut.of(project)


# Roles -------------------------------------------------------------------------------------------

class RoleIn(Input):
    name: str | None = None
    talent_type: str | None = Field(None, description="A cinema skill's slug (lead-actor, extra ...) or id.")
    gender: Literal["M", "F", "N", "any"] | None = None
    age_min: int | None = None
    age_max: int | None = None
    height_min: int | None = None
    height_max: int | None = None
    positions: int | None = None
    description: str | None = None


@api_route(bp, "/cinema/projects/<int:project_id>/roles", "POST", summary="Add a role to a project", tags=TAGS,
           body=RoleIn, response=RoleOut, status=201, errors=(403, 404, 422))
def create_role(project_id: int, body: RoleIn):
    project = casting.get_project(project_id, _me())
    return RoleOut.of(casting.add_role(_me(), project, body.model_dump(exclude_unset=True)))


@api_route(bp, "/cinema/roles/<int:role_id>", "GET", summary="A role", tags=TAGS, response=RoleOut, errors=(403, 404))
def get_role(role_id: int):
    return RoleOut.of(casting.get_role(role_id, _me()))


@api_route(bp, "/cinema/roles/<int:role_id>", "PUT", summary="Update a role", tags=TAGS, body=RoleIn, response=RoleOut,
           errors=(403, 404, 422))
def update_role(role_id: int, body: RoleIn):
    role = casting.get_role(role_id, _me())
    return RoleOut.of(casting.update_role(_me(), role, body.model_dump(exclude_unset=True)))


@api_route(bp, "/cinema/roles/<int:role_id>", "DELETE", summary="Delete a role and its shortlist", tags=TAGS,
           status=204, errors=(403, 404))
def delete_role(role_id: int):
    casting.delete_role(_me(), casting.get_role(role_id, _me()))
    return None


# Assignments -------------------------------------------------------------------------------------

class AssignmentIn(Input):
    profile_id: int | None = Field(None, description="The talent's profile id; or give cinema_id or unique_code.")
    cinema_id: int | None = Field(None, validation_alias=either("cinema_id", "talent_id"))
    unique_code: str | None = Field(None, max_length=24, description="A cinema code (MACAS000001F) or profile code.")
    note: str | None = Field(None, max_length=2000)


class StageIn(Input):
    stage: Literal[STAGES]  # type: ignore[valid-type]
    note: str | None = Field(None, max_length=2000)


def _talent_of(body: AssignmentIn):
    me = _me()
    if body.profile_id is not None:
        return directory.get_profile(body.profile_id, me)
    if body.cinema_id is not None:
        return casting.get_cinema(body.cinema_id, me).profile
    if body.unique_code:
        try:
            return casting.get_cinema_by_code(body.unique_code, me).profile
        except NotFound:
            return directory.get_by_code(body.unique_code, me)
    raise ValidationFailed(fields={"profile_id": [_("Give profile_id, cinema_id or unique_code.")]})


@api_route(bp, "/cinema/roles/<int:role_id>/assignments", "POST", summary="Shortlist a talent for a role", tags=TAGS,
           body=AssignmentIn, response=AssignmentOut, status=201, errors=(403, 404, 409, 422))
def create_assignment(role_id: int, body: AssignmentIn):
    """The talent gets a project code (PRJ-001-042) and starts at the stage "shortlisted". A minor
    without a guardian's consent cannot be assigned (422); a talent already on the role is 409."""
    role = casting.get_role(role_id, _me())
    return AssignmentOut.of(casting.assign(_me(), role, _talent_of(body), body.note))


@api_route(bp, "/cinema/assignments/<int:assignment_id>", "GET", summary="An assignment with its history", tags=TAGS,
           response=AssignmentOut, errors=(403, 404))
def get_assignment(assignment_id: int):
    return AssignmentOut.of(casting.get_assignment(assignment_id, _me()))


@api_route(bp, "/cinema/assignments/<int:assignment_id>/stage", "PUT", summary="Move an assignment to a stage",
           tags=TAGS, body=StageIn, response=AssignmentOut, errors=(403, 404, 422))
def move_assignment(assignment_id: int, body: StageIn):
    assignment = casting.get_assignment(assignment_id, _me())
    return AssignmentOut.of(casting.move_stage(_me(), assignment, body.stage, body.note))


@api_route(bp, "/cinema/assignments/<int:assignment_id>", "DELETE", summary="Take a talent off a role", tags=TAGS,
           status=204, errors=(403, 404))
def delete_assignment(assignment_id: int):
    casting.remove_assignment(_me(), casting.get_assignment(assignment_id, _me()))
    return None
